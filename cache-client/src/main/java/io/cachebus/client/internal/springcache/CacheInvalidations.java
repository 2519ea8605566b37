package io.cachebus.client.internal.springcache;

import io.cachebus.client.MutationPublisher;
import io.cachebus.events.Operation;
import java.util.List;
import java.util.Optional;
import org.springframework.transaction.support.TransactionOperations;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Every write through the cache manager ({@code @CacheEvict}, {@code @CachePut}) becomes a {@code DomainMutated} of
 * the current tenant's cache-name domain, through the transactional outbox: every node drops its entries, as for any
 * other write.
 *
 * <p>Inside a transaction the event commits with it. Outside one (a method that is not {@code @Transactional}, or
 * whose transaction the cache advice runs around) the write it follows has already committed, so the event gets a
 * transaction of its own, which is as safe: the invalidation comes after the data changed. Only an eviction that
 * runs <em>before</em> the method ({@code beforeInvocation = true}) outside a transaction is refused: its event would
 * commit before the write, and a read between the two could cache the old data again.
 */
record CacheInvalidations(MutationPublisher publisher, TransactionOperations ownTransaction) {

    /** @param beforeTheWrite whether the write this invalidation is for has not happened yet */
    void invalidate(String tenant, String domain, boolean beforeTheWrite) {
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            publish(tenant, domain);
            return;
        }
        if (beforeTheWrite) {
            throw new IllegalStateException("@CacheEvict(beforeInvocation = true) on cache '" + domain
                    + "' outside a transaction: the eviction would reach the other nodes before the write commits, "
                    + "and a read in between could cache the old data again. Make the method @Transactional (the "
                    + "eviction then commits with the write) or evict after the invocation");
        }
        ownTransaction.executeWithoutResult(status -> publish(tenant, domain));
    }

    private void publish(String tenant, String domain) {
        publisher.recordMutation(tenant, domain, Operation.UPDATE, Optional.empty(), List.of());
    }
}
