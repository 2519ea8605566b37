package io.cachebus.client.internal.outbox;

import io.cachebus.client.CachebusMeter;
import io.cachebus.client.MutationPublisher;
import io.cachebus.client.internal.tiered.LocalInvalidation;
import io.cachebus.client.internal.tiered.ReadYourWrites;
import io.cachebus.client.internal.tiered.Scope;
import io.cachebus.events.DomainMutated;
import io.cachebus.events.EventCodec;
import io.cachebus.events.Operation;
import io.cachebus.events.Tag;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * {@link MutationPublisher} over the transactional outbox: the event row is written in the caller's transaction
 * (one INSERT, which no other writer waits for), and only once that transaction committed does anything else happen:
 * this node's entries of the written scopes are dropped (read-your-writes), then the event is handed to Kafka from
 * this thread without waiting for it ({@link DirectSend}; the relay marks the row sent once Kafka acknowledged it),
 * or, with direct sends off or paused, the relay is woken to send the row. Either way the row is the durable copy:
 * what the direct send does not get through, the relay sends.
 */
public final class TransactionalMutationPublisher implements MutationPublisher {

    private static final Logger log = LoggerFactory.getLogger(TransactionalMutationPublisher.class);

    private final OutboxRepository repository;
    private final EventCodec codec;
    private final String nodeId;
    private final LocalInvalidation localInvalidation;
    private final ReadYourWrites readYourWrites;
    private final OutboxRelay relay;
    private final Clock clock;
    /** What cachebus adds to a write on its own thread: in the transaction, and between commit and response. */
    private final Timer recordingTime;
    private final Timer afterCommitTime;

    public TransactionalMutationPublisher(JdbcTemplate jdbc, EventCodec codec, String nodeId,
            LocalInvalidation localInvalidation, ReadYourWrites readYourWrites, OutboxRelay relay, Clock clock,
            MeterRegistry registry) {
        this.repository = new OutboxRepository(jdbc);
        this.codec = codec;
        this.nodeId = nodeId;
        this.localInvalidation = localInvalidation;
        this.readYourWrites = readYourWrites;
        this.relay = relay;
        this.clock = clock;
        this.recordingTime = writeStepTimer(CachebusMeter.OUTBOX_RECORD, registry);
        this.afterCommitTime = writeStepTimer(CachebusMeter.OUTBOX_AFTER_COMMIT, registry);
    }

    /** Steps of a write that take tens of microseconds to a few milliseconds: buckets from 10 µs. */
    private static Timer writeStepTimer(CachebusMeter meter, MeterRegistry registry) {
        return meter.histogramTimer(registry, Duration.ofNanos(10_000), Duration.ofSeconds(10));
    }

    @Override
    public DomainMutated recordMutation(String tenant, String domain, Operation operation, Optional<String> entityId,
            List<Tag> tags) {
        if (!TransactionSynchronizationManager.isActualTransactionActive() || !repository.inDatabaseTransaction()) {
            throw new IllegalStateException("recordMutation must be called inside the write's database transaction "
                    + "(on the DataSource cachebus uses), so the event commits with the write or not at all");
        }
        long started = System.nanoTime();
        // built before touching the database: invalid names fail with a typed error and nothing is written
        DomainMutated event = new DomainMutated(UUID.randomUUID(), tenant, domain, operation, entityId, tags,
                clock.instant(), nodeId, DomainMutated.UNNUMBERED);
        byte[] payload = codec.encode(event);
        long rowId = repository.insert(event, new String(payload, StandardCharsets.UTF_8));
        // queued in its domain's lane at the insert: a later write of the domain on this node is handed to Kafka
        // after this one, once this one's transaction ended (no lock orders the writers any more: the lane does)
        DirectSend.Ticket ticket = relay.register(rowId, event, payload);
        TransactionSynchronizationManager.registerSynchronization(new AfterCommit(event, ticket));
        recordingTime.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        return event;
    }

    /** Runs on the writing thread after commit, before the write's response is sent. Never fails the caller. */
    private final class AfterCommit implements TransactionSynchronization {

        private final DomainMutated event;
        /** {@code null} when the relay sends the row. */
        private final DirectSend.Ticket ticket;

        AfterCommit(DomainMutated event, DirectSend.Ticket ticket) {
            this.event = event;
            this.ticket = ticket;
        }

        @Override
        public void afterCommit() {
            long started = System.nanoTime();
            try {
                handOver();
            } finally {
                afterCommitTime.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            }
        }

        private void handOver() {
            Instant committedAt = clock.instant();
            try {
                // a write of one entity: that entity and the domain's collections, as the invalidator will (ADR 0017)
                List<Scope> scopes = Scope.invalidatedBy(event);
                // the marker first: a read that starts after the eviction below must already skip L2
                readYourWrites.markPending(event.eventId(), scopes);
                scopes.forEach(localInvalidation::evict);
                log.debug("mutation committed tenant={} domain={} eventId={} scopes={}", event.tenant(),
                        event.domain(), event.eventId(), scopes);
            } catch (RuntimeException e) {
                log.error("after-commit handling failed, the event is still sent tenant={} domain={} eventId={}",
                        event.tenant(), event.domain(), event.eventId(), e);
            }
            // after the marker: the event may come back as a broadcast within milliseconds. Whatever failed above,
            // the ticket is handed on, or it would hold back its domain's later commits on this node.
            try {
                if (ticket != null) {
                    // the propagation is timed from here, the commit, not from the insert before it; the row keeps
                    // the insert's moment, which the relay sends if this send does not get through
                    DomainMutated sent = event.withCommittedAt(committedAt);
                    relay.committed(ticket, sent, codec.encode(sent));
                } else {
                    relay.wake();
                }
            } catch (RuntimeException e) {
                log.error("direct send failed, the relay sends the event tenant={} domain={} eventId={}",
                        event.tenant(), event.domain(), event.eventId(), e);
                relay.wake();
            }
        }

        @Override
        public void afterCompletion(int status) {
            if (ticket == null || status == STATUS_COMMITTED) {
                return;
            }
            try {
                // rolled back: nothing to send; unknown: the relay finds the row or not
                relay.notCommitted(ticket, status == STATUS_ROLLED_BACK);
            } catch (RuntimeException e) {
                log.error("after-rollback handling failed tenant={} domain={} eventId={}", event.tenant(),
                        event.domain(), event.eventId(), e);
            }
        }
    }
}
