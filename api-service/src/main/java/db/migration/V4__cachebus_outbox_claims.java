package db.migration;

import io.cachebus.client.internal.outbox.OutboxSchema;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * The outbox's claim columns (which node relays a row, since when in database time), from the cache-client's own
 * DDL like V3. Rows written before it have no claim: any node may send them once.
 */
public class V4__cachebus_outbox_claims extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        OutboxSchema.execute(context.getConnection(), OutboxSchema.CLAIMS);
    }
}
