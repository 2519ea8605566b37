package io.cachebus.client.internal.sql.datasource;

import java.util.UUID;
import org.jooq.SQLDialect;

/** The table-tagging DataSource on H2 (PostgreSQL mode), a database per test. */
class DataSourceTableTagsH2Test extends DataSourceTableTagsScenarios {

    @Override
    String[] databaseProperties() {
        return new String[] {"spring.datasource.url=jdbc:h2:mem:tags-" + UUID.randomUUID()
                + ";DB_CLOSE_DELAY=-1;MODE=PostgreSQL"};
    }

    @Override
    SQLDialect jooqDialect() {
        return SQLDialect.H2;
    }

    @Override
    String unparseableWrite() {
        return "MERGE INTO customers KEY (id) VALUES (12, 'ida')"; // H2's own MERGE, unknown to the parser
    }
}
