package io.cachebus.client.internal.outbox;

import io.cachebus.client.MutationPublisher;
import io.cachebus.client.internal.tiered.LocalInvalidation;
import io.cachebus.client.internal.tiered.ReadYourWrites;
import io.cachebus.client.internal.tiered.Scope;
import io.cachebus.events.DomainMutated;
import io.cachebus.events.EventCodec;
import io.cachebus.events.Operation;
import io.cachebus.events.Tag;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * {@link MutationPublisher} over the transactional outbox: the event row is written in the caller's transaction
 * (with its per-(tenant, domain) sequence), and only once that transaction committed does anything else happen:
 * this node's entries of the written scopes are dropped (read-your-writes) and the relay is woken to send the row.
 */
public final class TransactionalMutationPublisher implements MutationPublisher {

    private static final Logger log = LoggerFactory.getLogger(TransactionalMutationPublisher.class);

    private final OutboxRepository repository;
    private final EventCodec codec;
    private final String nodeId;
    private final LocalInvalidation localInvalidation;
    private final ReadYourWrites readYourWrites;
    private final Runnable wakeRelay;
    private final Clock clock;

    public TransactionalMutationPublisher(JdbcTemplate jdbc, EventCodec codec, String nodeId,
            LocalInvalidation localInvalidation, ReadYourWrites readYourWrites, Runnable wakeRelay, Clock clock) {
        this.repository = new OutboxRepository(jdbc);
        this.codec = codec;
        this.nodeId = nodeId;
        this.localInvalidation = localInvalidation;
        this.readYourWrites = readYourWrites;
        this.wakeRelay = wakeRelay;
        this.clock = clock;
    }

    @Override
    public DomainMutated recordMutation(String tenant, String domain, Operation operation, Optional<String> entityId,
            List<Tag> tags) {
        if (!TransactionSynchronizationManager.isActualTransactionActive() || !repository.inDatabaseTransaction()) {
            throw new IllegalStateException("recordMutation must be called inside the write's database transaction "
                    + "(on the DataSource cachebus uses), so the event commits with the write or not at all");
        }
        // built once before touching the database: invalid names fail with a typed error and nothing is written
        DomainMutated validated = new DomainMutated(UUID.randomUUID(), tenant, domain, operation, entityId, tags,
                clock.instant(), nodeId, 1);
        DomainMutated event = withSequence(validated, repository.nextSequence(tenant, domain));
        repository.insert(event, new String(codec.encode(event), StandardCharsets.UTF_8));
        TransactionSynchronizationManager.registerSynchronization(new AfterCommit(event));
        return event;
    }

    private static DomainMutated withSequence(DomainMutated event, long sequence) {
        return new DomainMutated(event.eventId(), event.tenant(), event.domain(), event.operation(), event.entityId(),
                event.tags(), event.committedAt(), event.sourceNode(), sequence);
    }

    /** Runs on the writing thread after commit, before the write's response is sent. Never fails the caller. */
    private final class AfterCommit implements TransactionSynchronization {

        private final DomainMutated event;

        AfterCommit(DomainMutated event) {
            this.event = event;
        }

        @Override
        public void afterCommit() {
            try {
                // a write of one entity: that entity and the domain's collections, as the invalidator will (ADR 0017)
                List<Scope> scopes = Scope.invalidatedBy(event);
                // the marker first: a read that starts after the eviction below must already skip L2
                readYourWrites.markPending(event.eventId(), scopes);
                scopes.forEach(localInvalidation::evict);
                wakeRelay.run();
                log.debug("mutation committed tenant={} domain={} sequence={} eventId={}", event.tenant(),
                        event.domain(), event.sequence(), event.eventId());
            } catch (RuntimeException e) {
                log.error("after-commit handling failed, the relay still sends the event tenant={} domain={} eventId={}",
                        event.tenant(), event.domain(), event.eventId(), e);
            }
        }
    }
}
