package db.migration;

import io.cachebus.client.internal.outbox.OutboxSchema;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * The cache-client's transactional outbox tables, owned by Flyway here ({@code cachebus.outbox.initialize-schema=false}).
 * Runs the cache-client's own DDL rather than a copy of it, so the two can never drift apart. (The class name
 * follows Flyway's versioned-migration convention.)
 */
public class V3__cachebus_outbox extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        OutboxSchema.execute(context.getConnection(), OutboxSchema.TABLES);
    }
}
