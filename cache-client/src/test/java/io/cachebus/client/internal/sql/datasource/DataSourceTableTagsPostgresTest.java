package io.cachebus.client.internal.sql.datasource;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cachebus.local.postgres.PostgresDatabase;
import org.jooq.SQLDialect;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The table-tagging DataSource on PostgreSQL, a database of its own; skipped where none listens on 5432. */
class DataSourceTableTagsPostgresTest extends DataSourceTableTagsScenarios {

    private static PostgresDatabase database;

    @BeforeAll
    static void createDatabase() {
        assumeTrue(PostgresDatabase.isReachable(), "no PostgreSQL on 127.0.0.1:5432");
        database = PostgresDatabase.create("tags");
    }

    @AfterAll
    static void dropDatabase() {
        if (database != null) {
            database.close();
        }
    }

    @Override
    String[] databaseProperties() {
        return new String[] {"spring.datasource.url=" + database.jdbcUrl(),
                "spring.datasource.username=" + database.user()};
    }

    @Override
    SQLDialect jooqDialect() {
        return SQLDialect.POSTGRES;
    }

    @Override
    String unparseableWrite() {
        return "UPDATE ONLY customers SET name = 'ida' WHERE id = 12"; // PostgreSQL's ONLY, unknown to the parser
    }
}
