package io.cachebus.client.internal.sql.jdbc;

import io.cachebus.client.MutationPublisher;
import io.cachebus.client.sql.WriteOutsideTransactionException;
import io.cachebus.events.Operation;
import java.sql.Connection;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Turns writes and flushes into {@code DomainMutated} events through the outbox, one per scope, inside the write's
 * transaction: they reach the invalidator after commit, or never if the transaction rolls back.
 */
final class Invalidations {

    private static final Logger log = LoggerFactory.getLogger(Invalidations.class);

    private final JdbcTemplate jdbc;
    private final MutationPublisher publisher;
    private final TransactionTemplate ownTransaction;
    private final SqlMetrics metrics;

    Invalidations(JdbcTemplate jdbc, MutationPublisher publisher, PlatformTransactionManager transactions,
            SqlMetrics metrics) {
        this.jdbc = jdbc;
        this.publisher = publisher;
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.metrics = metrics;
    }

    /**
     * Whether the calling thread is inside a read-write transaction: its reads may see its own uncommitted writes,
     * which must neither be cached nor be answered from the cache.
     */
    boolean inReadWriteTransaction() {
        return TransactionSynchronizationManager.isActualTransactionActive()
                && !TransactionSynchronizationManager.isCurrentTransactionReadOnly();
    }

    /** @throws WriteOutsideTransactionException unless a read-write transaction holds this DataSource's connection */
    void requireWriteTransaction(String what) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new WriteOutsideTransactionException(what + " must run inside a transaction: its invalidation is "
                    + "recorded in the outbox in the same transaction, so it commits with the write or not at all");
        }
        if (TransactionSynchronizationManager.isCurrentTransactionReadOnly()) {
            throw new WriteOutsideTransactionException(what + " cannot run in a read-only transaction");
        }
        if (!connectionInTransaction()) {
            throw new WriteOutsideTransactionException(what + " must run in a transaction of the DataSource cachebus "
                    + "uses; the active transaction does not hold its connection");
        }
    }

    /** Records one mutation per scope in the current transaction (which {@link #requireWriteTransaction} checked). */
    void recordWrite(String tenant, Collection<String> scopes, Operation operation) {
        record(tenant, scopes, operation);
        metrics.invalidations("write", scopes.size());
    }

    /**
     * Records a flush of the scopes: in the caller's read-write transaction when there is one (effective when it
     * commits), else in a transaction of its own (effective on this node on return).
     */
    void flush(String tenant, Collection<String> scopes) {
        if (inReadWriteTransaction() && connectionInTransaction()) {
            record(tenant, scopes, Operation.UPDATE);
        } else {
            ownTransaction.executeWithoutResult(status -> record(tenant, scopes, Operation.UPDATE));
        }
        metrics.invalidations("flush", scopes.size());
        log.debug("sql flush recorded tenant={} scopes={}", tenant, scopes);
    }

    private void record(String tenant, Collection<String> scopes, Operation operation) {
        for (String scope : scopes) {
            publisher.recordMutation(tenant, scope, operation, Optional.empty(), List.of());
        }
    }

    private boolean connectionInTransaction() {
        Boolean autoCommit = jdbc.execute((ConnectionCallback<Boolean>) Connection::getAutoCommit);
        return Boolean.FALSE.equals(autoCommit);
    }
}
