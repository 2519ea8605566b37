package io.cachebus.client.internal.sql.datasource;

/**
 * A write reached the table-tagging DataSource while no tenant was known. Thrown before the statement runs: nothing
 * was written, so nothing is left uninvalidated.
 */
public final class WriteTenantUnknownException extends IllegalStateException {

    WriteTenantUnknownException(String message) {
        super(message);
    }
}
