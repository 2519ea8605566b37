package io.cachebus.client.sql;

/**
 * A write was sent through {@link SqlCache} without a read-write transaction on its DataSource. Thrown before the
 * statement runs: its invalidation is recorded in the outbox in the write's own transaction, so that it commits with
 * the write or not at all, and an auto-committed write would be visible before its invalidation is durable.
 */
public final class WriteOutsideTransactionException extends IllegalStateException {

    public WriteOutsideTransactionException(String message) {
        super(message);
    }
}
