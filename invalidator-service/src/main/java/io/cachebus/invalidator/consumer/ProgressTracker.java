package io.cachebus.invalidator.consumer;

import io.cachebus.invalidator.InvalidatorMeter;
import io.cachebus.events.InvalidationProgress.PartitionProgress;
import io.cachebus.invalidator.broadcast.ProgressPublisher;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationListener;
import org.springframework.kafka.event.ListenerContainerIdleEvent;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;

/**
 * What each consumer of the mutation topic has done, per partition it holds: how far it is processed (reported in
 * progress heartbeats) and from which offset Redis work is pending (offsets must not be committed past it).
 *
 * <p>Everything here runs on the consumer's own thread: the batch listener, the container's idle events (published
 * every {@code cachebus.invalidator.progress.interval} while no record comes) and the rebalance callbacks. That is
 * what makes {@link Consumer#position} and {@link Consumer#seek} safe to call, and a consumer's state is only ever
 * touched by its thread; the map of states is concurrent for the gauge and for the several consumer threads.
 *
 * <p>Every heartbeat carries {@code redisPending} while any partition of the instance has Redis work pending or
 * being redone (until the redo has passed every record that was broadcast as pending).
 *
 * <p>A reported {@code processedThrough} never goes down while the partition is held: after a seek back to redo
 * pending Redis work, the records up to the old mark are still broadcast (with {@code redisPending}). Revoked or
 * lost partitions are forgotten and no longer reported; their pending work is redone by the next holder, which
 * starts from the committed offset.
 *
 * <p>Each report also says how far an earlier report of this consumer for the partition reached that Kafka
 * acknowledged on every evictions partition before this one was built ({@code acknowledgedThrough}, ADR 0016): a
 * node that read less on some evictions partition skipped records there. A compact batch's records are awaited, so
 * its progress counts as acknowledged at once; a heartbeat is not, so its outcome is read when the next report is
 * built, and a heartbeat that failed vouches for nothing. A partition starts over with none when it is assigned.
 *
 * <p>An idle consumer does not repeat, every interval, a report identical to its last one that Kafka acknowledged:
 * such a report moves no node's watermark and vouches for nothing new, and every node of the fleet would read it on
 * every evictions partition. It goes out again only after {@code unchangedInterval}, for nodes that start or are
 * reassigned their evictions partitions and need a report on each before they serve from their caches.
 */
public final class ProgressTracker implements ConsumerAwareRebalanceListener,
        ApplicationListener<ListenerContainerIdleEvent> {

    private static final Logger log = LoggerFactory.getLogger(ProgressTracker.class);

    private final String topic;
    private final String listenerId;
    private final ProgressPublisher publisher;
    private final CircuitBreaker redisBreaker;
    private final long unchangedIntervalNanos;
    private final LongSupplier nanoClock;
    private final Map<Consumer<?, ?>, ConsumerState> states = new ConcurrentHashMap<>();

    /**
     * @param topic        the mutation topic
     * @param listenerId   the id of the mutation listener container; idle events of other containers are ignored
     * @param redisBreaker the Redis breaker: while it is open, Redis work stays pending and is not retried
     * @param unchangedInterval how often an idle consumer repeats a report identical to its last acknowledged one
     * @param nanoClock    {@link System#nanoTime}, or a test's clock
     */
    public ProgressTracker(String topic, String listenerId, ProgressPublisher publisher, CircuitBreaker redisBreaker,
                           Duration unchangedInterval, LongSupplier nanoClock, MeterRegistry meters) {
        this.topic = topic;
        this.listenerId = listenerId;
        this.publisher = publisher;
        this.redisBreaker = redisBreaker;
        this.unchangedIntervalNanos = unchangedInterval.toNanos();
        this.nanoClock = nanoClock;
        Gauge.builder(InvalidatorMeter.REDIS_PENDING_PARTITIONS.meterName(), states,
                        all -> all.values().stream().mapToInt(state -> state.pendingFrom.size()).sum())
                .description(InvalidatorMeter.REDIS_PENDING_PARTITIONS.description())
                .register(meters);
    }

    /** Whether Redis may be called: its breaker is not open. Half-open lets the first calls through as probes. */
    public boolean redisUsable() {
        CircuitBreaker.State state = redisBreaker.getState();
        return state != CircuitBreaker.State.OPEN && state != CircuitBreaker.State.FORCED_OPEN;
    }

    /** Whether some partition of this consumer has Redis work pending, so that nothing may be committed. */
    public boolean hasPending(Consumer<?, ?> consumer) {
        ConsumerState state = states.get(consumer);
        return state != null && !state.pendingFrom.isEmpty();
    }

    /** Records that Redis work is pending from these offsets on, unless it already was from an earlier one. */
    public void markPending(Consumer<?, ?> consumer, Map<TopicPartition, Long> from) {
        Map<TopicPartition, Long> pendingFrom = state(consumer).pendingFrom;
        from.forEach((partition, offset) -> {
            if (pendingFrom.putIfAbsent(partition, offset) == null) {
                log.warn("redis work pending partition={} fromOffset={} action=holdCommits", partition, offset);
            }
        });
    }

    /**
     * If Redis work is pending and Redis may be called again, seeks the pending partitions back to where it starts
     * (their committed offsets), so that the records are processed again, normally: Redis is invalidated and the
     * same scopes are broadcast without the flag. Returns whether it did.
     */
    public boolean redoPendingIfRedisIsBack(Consumer<?, ?> consumer) {
        ConsumerState state = states.get(consumer);
        if (state == null || state.pendingFrom.isEmpty() || !redisUsable()) {
            return false;
        }
        state.pendingFrom.forEach((partition, offset) -> {
            consumer.seek(partition, offset);
            state.redoingUntil.merge(partition, state.processedThrough.getOrDefault(partition, offset), Math::max);
            log.info("redo pending redis work partition={} fromOffset={} breaker={}", partition, offset,
                    redisBreaker.getState());
        });
        state.pendingFrom.clear();
        return true;
    }

    /**
     * What a heartbeat of this consumer says now: every mutation partition it holds, how far it is done, and whether
     * Redis work is outstanding once this report is out.
     *
     * @param partitions          per mutation partition the consumer holds, the offset below which it is done
     * @param redisPending        whether Redis work of this instance is still pending or being redone after it
     * @param processedThrough    what to remember once the report is out (by topic partition)
     * @param redoneThrough       the partitions whose redo of pending Redis work this report completes
     */
    public record Report(List<PartitionProgress> partitions, boolean redisPending,
                         Map<TopicPartition, Long> processedThrough, List<TopicPartition> redoneThrough) {
    }

    /**
     * The progress of every mutation partition the consumer holds, without sending or remembering it: a compact
     * broadcast carries it, and it counts ({@link #reported}) only once Kafka has taken that broadcast. {@code
     * doneBelow} gives, for the partitions of the batch just finished, the first offset not done; any other partition
     * is done up to its position (every record returned by earlier polls was finished, or sought back to). Each
     * partition carries the progress of this consumer's last report Kafka acknowledged, once the outcome of the last
     * heartbeat has been read.
     */
    public Report progressAfter(Consumer<?, ?> consumer, Map<TopicPartition, Long> doneBelow) {
        ConsumerState state = state(consumer);
        readHeartbeatOutcome(state);
        List<PartitionProgress> progress = new ArrayList<>();
        Map<TopicPartition, Long> processed = new HashMap<>();
        List<TopicPartition> redone = new ArrayList<>();
        for (TopicPartition partition : consumer.assignment()) {
            if (!partition.topic().equals(topic)) {
                continue;
            }
            Long done = doneBelow.get(partition);
            if (done == null) {
                try {
                    done = consumer.position(partition);
                } catch (RuntimeException e) {
                    log.debug("no position yet partition={} cause=\"{}\"", partition, e.toString());
                    continue;
                }
            }
            long reported = Math.max(done, state.processedThrough.getOrDefault(partition, done));
            processed.put(partition, reported);
            long acknowledged = Math.min(reported, state.acknowledgedThrough.getOrDefault(partition, 0L));
            progress.add(new PartitionProgress(partition.partition(), reported, acknowledged));
            Long redoUntil = state.redoingUntil.get(partition);
            if (redoUntil != null && done >= redoUntil && !state.pendingFrom.containsKey(partition)) {
                redone.add(partition);
            }
        }
        progress.sort(Comparator.comparingInt(PartitionProgress::partition));
        boolean outstanding = !state.pendingFrom.isEmpty()
                || !redone.containsAll(state.redoingUntil.keySet())
                || states.values().stream().anyMatch(other -> other != state
                        && (!other.pendingFrom.isEmpty() || !other.redoingUntil.isEmpty()));
        return new Report(List.copyOf(progress), outstanding, processed, redone);
    }

    /**
     * The report's records were acknowledged by every evictions partition (a compact broadcast): its progress counts
     * from now on, and later reports vouch for it.
     */
    public void reported(Consumer<?, ?> consumer, Report report) {
        ConsumerState state = state(consumer);
        remember(state, report);
        acknowledged(state, report.processedThrough());
        state.lastReport = new SentReport(report.partitions(), report.redisPending(),
                CompletableFuture.completedFuture(null), nanoClock.getAsLong());
    }

    /** The report is sent, perhaps not acknowledged yet: its progress counts from now on. */
    private void remember(ConsumerState state, Report report) {
        report.processedThrough().forEach((partition, offset) -> state.processedThrough.merge(partition, offset, Math::max));
        for (TopicPartition partition : report.redoneThrough()) {
            Long redoUntil = state.redoingUntil.remove(partition);
            if (redoUntil != null) {
                log.info("pending redis work redone partition={} throughOffset={}", partition, redoUntil);
            }
        }
    }

    /**
     * Sends a heartbeat for every mutation partition the consumer holds (see {@link #progressAfter}), without waiting
     * for Kafka: a lost heartbeat is superseded by the next one.
     */
    public void heartbeat(Consumer<?, ?> consumer, Map<TopicPartition, Long> doneBelow) {
        send(state(consumer), progressAfter(consumer, doneBelow));
    }

    /**
     * An idle consumer's heartbeat: sent unless it would repeat, within {@code unchangedInterval}, the last report
     * of this consumer that Kafka acknowledged on every evictions partition. Every node has read that one (or will,
     * before anything after it), so the repeat would move nothing.
     */
    private void idleHeartbeat(Consumer<?, ?> consumer) {
        Report report = progressAfter(consumer, Map.of());
        ConsumerState state = state(consumer);
        if (repeatsAcknowledgedReport(state, report)) {
            return;
        }
        send(state, report);
    }

    private boolean repeatsAcknowledgedReport(ConsumerState state, Report report) {
        SentReport last = state.lastReport;
        return last != null
                && !report.redisPending() && !last.redisPending() && report.redoneThrough().isEmpty()
                && last.acks().isDone() && !last.acks().isCompletedExceptionally()
                && last.partitions().equals(report.partitions())
                && nanoClock.getAsLong() - last.sentAtNanos() < unchangedIntervalNanos;
    }

    private void send(ConsumerState state, Report report) {
        if (!report.partitions().isEmpty()) {
            CompletableFuture<Void> acks = publisher.publish(report.partitions(), report.redisPending());
            // superseding an earlier heartbeat still in flight only delays what later reports vouch for
            state.unconfirmed = new UnconfirmedHeartbeat(acks, new HashMap<>(report.processedThrough()));
            state.lastReport = new SentReport(report.partitions(), report.redisPending(), acks,
                    nanoClock.getAsLong());
        }
        remember(state, report);
    }

    /** Once the last heartbeat's sends have all completed, later reports vouch for it; one that failed is dropped. */
    private static void readHeartbeatOutcome(ConsumerState state) {
        UnconfirmedHeartbeat heartbeat = state.unconfirmed;
        if (heartbeat == null || !heartbeat.acks().isDone()) {
            return;
        }
        state.unconfirmed = null;
        if (!heartbeat.acks().isCompletedExceptionally()) {
            acknowledged(state, heartbeat.processedThrough());
        }
    }

    private static void acknowledged(ConsumerState state, Map<TopicPartition, Long> processedThrough) {
        processedThrough.forEach((partition, offset) -> state.acknowledgedThrough.merge(partition, offset, Math::max));
    }

    /** An idle consumer: redo pending Redis work if Redis is back, and say how far it is. */
    @Override
    public void onApplicationEvent(ListenerContainerIdleEvent event) {
        if (!event.getListenerId().startsWith(listenerId)) {
            return;
        }
        Consumer<?, ?> consumer = event.getConsumer();
        redoPendingIfRedisIsBack(consumer);
        idleHeartbeat(consumer);
    }

    @Override
    public void onPartitionsRevokedBeforeCommit(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        forget(consumer, partitions);
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        forget(consumer, partitions);
    }

    private void forget(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        ConsumerState state = states.get(consumer);
        if (state == null) {
            return;
        }
        for (TopicPartition partition : partitions) {
            state.processedThrough.remove(partition);
            // a later holding of the partition starts vouching afresh: what this one reported says nothing of the
            // holder in between
            state.acknowledgedThrough.remove(partition);
            // the next report names other partitions, so it is sent whatever the last one said
            state.lastReport = null;
            if (state.unconfirmed != null) {
                state.unconfirmed.processedThrough().remove(partition);
            }
            state.redoingUntil.remove(partition);
            Long pending = state.pendingFrom.remove(partition);
            if (pending != null) {
                log.info("partition with pending redis work revoked partition={} fromOffset={} "
                        + "action=nextHolderRedoesIt", partition, pending);
            }
        }
        if (state.processedThrough.isEmpty() && state.pendingFrom.isEmpty() && state.redoingUntil.isEmpty()) {
            states.remove(consumer);
        }
    }

    /** A heartbeat's sends and the progress it reported. */
    private record UnconfirmedHeartbeat(CompletableFuture<Void> acks, Map<TopicPartition, Long> processedThrough) {
    }

    /** What the consumer's last report said, whether Kafka took it on every evictions partition, and when it left. */
    private record SentReport(List<PartitionProgress> partitions, boolean redisPending, CompletableFuture<Void> acks,
            long sentAtNanos) {
    }

    private ConsumerState state(Consumer<?, ?> consumer) {
        return states.computeIfAbsent(consumer, c -> new ConsumerState());
    }

    /**
     * Only ever written on its consumer's thread; the gauge and the other consumer threads' heartbeats read whether
     * the Redis work maps are empty.
     */
    private static final class ConsumerState {
        final Map<TopicPartition, Long> processedThrough = new HashMap<>();
        /** The progress of this consumer's last report per partition that every evictions partition acknowledged. */
        final Map<TopicPartition, Long> acknowledgedThrough = new HashMap<>();
        /** The last heartbeat, sent without waiting, until its outcome is read. */
        UnconfirmedHeartbeat unconfirmed;
        /** The last report sent, heartbeat or compact batch: an idle heartbeat that would repeat it may wait. */
        SentReport lastReport;
        /** Where Redis work starts that was broadcast as pending and is not redone yet; offsets wait for it. */
        final Map<TopicPartition, Long> pendingFrom = new ConcurrentHashMap<>();
        /** Sought back to redo pending Redis work: below which offset the records were broadcast as pending. */
        final Map<TopicPartition, Long> redoingUntil = new ConcurrentHashMap<>();
    }
}
