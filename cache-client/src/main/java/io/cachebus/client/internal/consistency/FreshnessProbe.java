package io.cachebus.client.internal.consistency;

import io.cachebus.client.CachebusMeter;
import io.cachebus.client.internal.outbox.OutboxBacklog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Works out up to when this node has applied every invalidation, per mutation partition, and hands it to the
 * {@link EnforcedStalenessBound}: a probe every {@code interval}, and an evaluation of the probes after each and
 * whenever the invalidators' progress reaches this node, so a probe counts as soon as the progress covers it.
 *
 * <p>A probe taken at time {@code t} reads, in this order, (1) the oldest unsent outbox row of each (tenant,
 * domain), of any node, and (2) the end offsets of the mutation topic. A mutation whose response left before
 * {@code t} had committed by then, so at (1) its row was either unsent (its time is among those read) or already
 * acknowledged by Kafka, hence below the offsets read at (2). Once the invalidators' progress on this node has
 * passed those offsets on a partition, every mutation of it committed before {@code min(t, oldest unsent row of
 * the partition)} has been invalidated and its broadcast applied here. The clock is this node's; writers stamp
 * rows with theirs, so the bound holds up to the clock skew between nodes (NTP keeps it to milliseconds).
 *
 * <p>Any failure (Kafka or the database unreachable, this node cut off) simply leaves the times where they were:
 * they age, and past the bound the node reads through to the database until probes succeed again.
 *
 * <p>A node that no read has asked for {@code pauseWhenUnaskedFor} stops probing (an idle node's probes were most of
 * its CPU): its times age like those of a node that cannot probe. The first read after the pause wakes the probe,
 * whose first round runs on that read's thread before the read is judged: caught up, the read is served from the
 * caches; behind (another node wrote meanwhile and the invalidators have not covered it yet), it reads through to the
 * database, as any read past the bound does, until the invalidators' progress covers the end offsets.
 */
public final class FreshnessProbe implements SmartLifecycle {

    public static final String LAG = CachebusMeter.CONSISTENCY_LAG.meterName();

    private static final Logger log = LoggerFactory.getLogger(FreshnessProbe.class);
    private static final int MAX_PROBES = 1_000;

    /** The end offsets of the mutation topic, indexed by partition; throws when Kafka cannot tell. */
    @FunctionalInterface
    public interface EndOffsets {
        long[] read();
    }

    private record Probe(long takenAt, long[] oldestUnsent, long[] endOffsets) {
    }

    private final EndOffsets endOffsets;
    private final OutboxBacklog outbox;
    private final InvalidationWatermarks watermarks;
    private final EnforcedStalenessBound bound;
    private final Clock clock;
    private final Duration interval;
    private final long pauseWhenUnaskedForMillis;
    private final Runnable onStop;
    /** Guarded by itself: appended by the probe, read and trimmed by every evaluation. */
    private final Deque<Probe> probes = new ArrayDeque<>();
    private final Counter outboxFailures;
    private final Counter kafkaFailures;
    private ScheduledExecutorService scheduler;
    /** The periodic rounds: cancelled while the probe pauses, scheduled again by the read that wakes it. */
    private volatile ScheduledFuture<?> rounds;
    private volatile boolean running;
    private boolean failing;
    /** Only touched by the thread that runs the rounds (the scheduler's, or a test's). */
    private boolean paused;

    /**
     * @param outbox the outbox to read unsent rows from, or {@code null} when this node has none (then only writes
     *               that reached Kafka are waited for)
     * @param pauseWhenUnaskedFor no probe while no read has asked the bound for this long; zero: never pause
     * @param onStop releases what {@code endOffsets} holds
     */
    public FreshnessProbe(EndOffsets endOffsets, OutboxBacklog outbox, InvalidationWatermarks watermarks,
            EnforcedStalenessBound bound, Clock clock, Duration interval, Duration pauseWhenUnaskedFor,
            MeterRegistry registry, Runnable onStop) {
        this.endOffsets = endOffsets;
        this.outbox = outbox;
        this.watermarks = watermarks;
        this.bound = bound;
        this.clock = clock;
        this.interval = interval;
        this.pauseWhenUnaskedForMillis = pauseWhenUnaskedFor.toMillis();
        this.onStop = onStop;
        Gauge.builder(LAG, bound, EnforcedStalenessBound::lagSeconds)
                .description(CachebusMeter.CONSISTENCY_LAG.description())
                .baseUnit("seconds")
                .register(registry);
        Meter.MeterProvider<Counter> probeFailures = CachebusMeter.CONSISTENCY_PROBE_FAILURES.counters(registry);
        this.outboxFailures = probeFailures.withTag("stage", "outbox");
        this.kafkaFailures = probeFailures.withTag("stage", "kafka");
        // without it a probe's end offsets, covered a moment after it was taken, would count only at the next
        // probe: every vouched-for time would be a whole interval older than it need be
        watermarks.onAdvance(this::evaluate);
    }

    /**
     * One scheduled round: a probe and an evaluation, unless no read has asked the bound for
     * {@code pauseWhenUnaskedFor}; then none, until the next read wakes the probe.
     */
    void round() {
        if (pauseWhenUnaskedForMillis > 0 && clock.millis() - bound.lastAskedMillis() > pauseWhenUnaskedForMillis) {
            if (!paused) {
                paused = true;
                // no wake-up at all while paused; cancelled before the read that wakes it can schedule new rounds
                ScheduledFuture<?> current = rounds;
                if (current != null) {
                    current.cancel(false);
                }
                bound.onNextAsk(this::wake);
                log.info("freshness probe paused until the next read, which reads through to the database if the "
                        + "bound has passed by then unaskedForMs={} maxStalenessMs={}", pauseWhenUnaskedForMillis,
                        bound.maxStaleness().toMillis());
            }
            return;
        }
        if (paused) {
            paused = false;
            log.info("freshness probe resumed by a read");
        }
        tick();
    }

    /**
     * A read came after the pause: the first round runs now, on that read's thread, so that read is answered from
     * the caches if the round finds the node caught up (one probe's wait: the outbox query, under the JDBC statement
     * timeout, and the end offsets, under the probe's timeout) rather than from the database; a quiet service keeps
     * caching from its first read on. Then the rounds again.
     */
    private void wake() {
        ScheduledExecutorService current = scheduler;
        if (running && current != null) {
            tickQuietly();
            try {
                rounds = current.scheduleWithFixedDelay(this::tickQuietly, interval.toMillis(), interval.toMillis(),
                        TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopping) {
                // the probe stops: nothing to wake
            }
        }
    }

    /** One probe and one evaluation, whatever the reads; tests may call it directly. */
    public synchronized void tick() {
        try {
            takeProbe();
        } finally {
            evaluate();
        }
    }

    private void takeProbe() {
        long takenAt = clock.millis();
        List<OutboxBacklog.OldestUnsent> backlog;
        try {
            backlog = outbox == null ? List.of() : outbox.oldestUnsent();
        } catch (RuntimeException e) {
            outboxFailures.increment();
            failed("outbox", e);
            return;
        }
        long[] ends;
        try {
            ends = endOffsets.read();
        } catch (RuntimeException e) {
            kafkaFailures.increment();
            failed("kafka", e);
            return;
        }
        if (failing) {
            failing = false;
            log.info("freshness probe succeeds again partitions={}", ends.length);
        }
        long[] oldestUnsent = new long[ends.length];
        Arrays.fill(oldestUnsent, Long.MAX_VALUE);
        for (OutboxBacklog.OldestUnsent row : backlog) {
            int partition = MutationPartitioner.partitionOf(row.tenant(), row.domain(), ends.length);
            oldestUnsent[partition] = Math.min(oldestUnsent[partition], row.createdAt().toEpochMilli());
        }
        if (outbox != null && backlog.size() >= outbox.limit()) {
            // pairs left out are newer than the last one read, but could be on any partition
            long newestRead = backlog.get(backlog.size() - 1).createdAt().toEpochMilli();
            for (int p = 0; p < oldestUnsent.length; p++) {
                oldestUnsent[p] = Math.min(oldestUnsent[p], newestRead);
            }
        }
        synchronized (probes) {
            probes.addLast(new Probe(takenAt, oldestUnsent, ends));
            if (probes.size() > MAX_PROBES) {
                probes.removeFirst();
            }
        }
    }

    /**
     * Moves the bound's times to what the probes and the watermarks show now: after every probe, and whenever the
     * invalidators' progress advances (on the thread that read it).
     */
    private void evaluate() {
        synchronized (probes) {
            evaluateProbes();
        }
    }

    private void evaluateProbes() {
        Probe newest = probes.peekLast();
        if (newest == null) {
            return;
        }
        int partitions = newest.endOffsets().length;
        long[] safe = bound.safeThrough();
        if (safe.length != partitions) {
            safe = new long[partitions];
            Arrays.fill(safe, Long.MIN_VALUE);
        }
        long oldestStillUseful = Long.MAX_VALUE;
        for (int p = 0; p < partitions; p++) {
            long processed = watermarks.processedThrough(p);
            Probe satisfied = null;
            Probe oldestSeen = newest;
            for (Iterator<Probe> newestFirst = probes.descendingIterator(); newestFirst.hasNext(); ) {
                Probe probe = newestFirst.next();
                if (probe.endOffsets().length != partitions) {
                    break; // the topic grew: older probes describe another partitioning
                }
                oldestSeen = probe;
                if (processed >= probe.endOffsets()[p]) {
                    satisfied = probe;
                    break;
                }
            }
            if (satisfied != null) {
                safe[p] = Math.max(safe[p], Math.min(satisfied.takenAt(), satisfied.oldestUnsent()[p]));
            }
            // probes older than this partition's newest satisfied one can never move its time forward again
            oldestStillUseful = Math.min(oldestStillUseful, (satisfied != null ? satisfied : oldestSeen).takenAt());
        }
        bound.advance(safe);
        while (probes.size() > 1 && probes.peekFirst().takenAt() < oldestStillUseful) {
            probes.removeFirst();
        }
    }

    private void failed(String stage, RuntimeException e) {
        if (!failing) {
            failing = true;
            log.warn("freshness probe failed, cached reads will go to the database once past the bound stage={} "
                    + "maxStalenessMs={} error={}", stage, bound.maxStaleness().toMillis(), e.toString());
        }
    }

    /** How often the probe runs while reads ask. */
    public Duration interval() {
        return interval;
    }

    @Override
    public void start() {
        if (running) {
            return;
        }
        running = true;
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "cachebus-freshness-probe");
            thread.setDaemon(true);
            return thread;
        });
        rounds = scheduler.scheduleWithFixedDelay(this::tickQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        log.info("freshness probe started intervalMs={} maxStalenessMs={} outbox={} pauseWhenUnaskedForMs={}",
                interval.toMillis(), bound.maxStaleness().toMillis(), outbox != null, pauseWhenUnaskedForMillis);
    }

    private void tickQuietly() {
        try {
            round();
        } catch (RuntimeException e) {
            log.warn("freshness probe error={}", e.toString());
        }
    }

    @Override
    public void stop() {
        if (!running) {
            return;
        }
        running = false;
        scheduler.shutdown();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        onStop.run();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
