package io.cachebus.client.internal.consistency;

import static io.cachebus.client.internal.tiered.CacheInstrumentation.tierTag;

import io.cachebus.client.CacheKey;
import io.cachebus.client.Tier;
import io.cachebus.client.internal.tiered.ValueCodec;
import io.cachebus.client.CachebusMeter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;

/**
 * Consistency measured in production: a sample of this node's cache hits is checked against the database, off the
 * request path, and the hits found serving data older than a committed write are counted.
 *
 * <p>What counts as a stale hit, and why it has no false positives:
 * <ol>
 *   <li>A hit is sampled with probability {@code rate}. A bounded background executor re-reads the key with the
 *       read's own loader (the database) at time {@code T1} and compares the JSON encodings of the value served and
 *       of the value read. Equal: the hit was consistent. Each completed comparison is a checked sample.</li>
 *   <li>Different: some write committed before {@code T1} changed the data, but it may have committed after the hit,
 *       and its eviction may simply be on its way: nothing is counted yet. After {@code confirm-after} the key is
 *       read again through this node's ordinary read path (not a user's request, but what the node would serve).
 *       If the node still serves the same encoding while the database still holds another, the node served, at
 *       that moment, data superseded by a write that committed at least {@code confirm-after} earlier: a stale hit,
 *       counted once per sample. A write that commits after the sampled hit and is evicted within
 *       {@code confirm-after} (the normal case) is therefore never counted.</li>
 *   <li>The re-checks go on every {@code confirm-after} until the node serves something else (an eviction arrived,
 *       the entry expired) or {@code max-tracking} has passed. The stale hit's <em>age</em> is then recorded: from
 *       {@code T1} to the last re-check that still served the superseded value, a lower bound on how long the node
 *       kept serving data superseded by a committed write (the write committed before {@code T1}).</li>
 * </ol>
 * The one case that could be counted wrongly is a value that goes back to the served one (A to B and back to A)
 * between two re-reads: the database is read at every re-check too, so this needs two writes inside one interval.
 *
 * <p>Never more than {@code max-pending} samples are in flight (waiting for a re-read or being re-checked); a hit
 * sampled beyond that is dropped and counted, so a slow database costs precision, never memory or request time.
 * A loader that throws on the re-read (the entity was deleted, the database is down) makes the sample a failure,
 * not a stale hit.
 */
public final class ConsistencySampler implements AutoCloseable {

    public static final String CHECKED = CachebusMeter.CONSISTENCY_SAMPLES_CHECKED.meterName();
    public static final String DROPPED = CachebusMeter.CONSISTENCY_SAMPLES_DROPPED.meterName();
    public static final String FAILED = CachebusMeter.CONSISTENCY_SAMPLES_FAILED.meterName();
    public static final String STALE_HITS = CachebusMeter.CONSISTENCY_STALE_HITS.meterName();
    public static final String STALE_AGE = CachebusMeter.CONSISTENCY_STALE_AGE.meterName();

    private static final Logger log = LoggerFactory.getLogger(ConsistencySampler.class);
    /** Set while this node's own read path is asked what it serves, so the re-check is not sampled in turn. */
    private static final ThreadLocal<Boolean> RECHECKING = ThreadLocal.withInitial(() -> false);

    /**
     * @param rate         share of hits sampled, 0 (off) to 1 (every hit)
     * @param confirmAfter how long after the database was seen to differ the node is asked again
     * @param maxTracking  longest a stale value is followed before its age is recorded
     * @param maxPending   most samples in flight at once
     */
    public record Settings(double rate, Duration confirmAfter, Duration maxTracking, int maxPending) {

        public Settings {
            if (!(rate >= 0 && rate <= 1)) {
                throw new IllegalArgumentException("the sampling rate must be between 0 and 1: " + rate);
            }
            if (confirmAfter.isNegative() || confirmAfter.isZero() || maxTracking.compareTo(confirmAfter) < 0) {
                throw new IllegalArgumentException("confirm-after must be positive and max-tracking at least as long");
            }
            if (maxPending < 1) {
                throw new IllegalArgumentException("max-pending must be at least 1: " + maxPending);
            }
        }
    }

    private final Settings settings;
    private final ValueCodec codec;
    private final Semaphore pending;
    private final ScheduledThreadPoolExecutor executor;
    private final Counter dropped;
    private final Meter.MeterProvider<Counter> checked;
    private final Meter.MeterProvider<Counter> staleHits;
    private final Meter.MeterProvider<Counter> failed;
    private final Meter.MeterProvider<Timer> staleAge;
    private final DoubleSupplier nodeLagSeconds;

    /** Samples nothing (and starts no thread). */
    public static ConsistencySampler off() {
        return new ConsistencySampler(new Settings(0, Duration.ofSeconds(1), Duration.ofSeconds(1), 1), null,
                new SimpleMeterRegistry());
    }

    public ConsistencySampler(Settings settings, ValueCodec codec, MeterRegistry registry) {
        this(settings, codec, registry, () -> Double.NaN);
    }

    /**
     * @param nodeLagSeconds how far behind this node's freshness probe says it is
     *                       ({@link EnforcedStalenessBound#lagSeconds}), NaN when it enforces no bound: a stale hit's
     *                       log line carries it, since a stale hit served while the node held itself within its bound
     *                       means an eviction was lost or never sent
     */
    public ConsistencySampler(Settings settings, ValueCodec codec, MeterRegistry registry,
            DoubleSupplier nodeLagSeconds) {
        this.nodeLagSeconds = nodeLagSeconds;
        this.settings = settings;
        this.codec = codec;
        this.checked = CachebusMeter.CONSISTENCY_SAMPLES_CHECKED.counters(registry);
        this.staleHits = CachebusMeter.CONSISTENCY_STALE_HITS.counters(registry);
        this.failed = CachebusMeter.CONSISTENCY_SAMPLES_FAILED.counters(registry);
        this.staleAge = CachebusMeter.CONSISTENCY_STALE_AGE.timer().withRegistry(registry);
        this.pending = new Semaphore(settings.maxPending());
        this.dropped = CachebusMeter.CONSISTENCY_SAMPLES_DROPPED.counter().register(registry);
        AtomicInteger threads = new AtomicInteger();
        this.executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "cachebus-consistency-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
    }

    /**
     * Whether a hit this node served is to be checked: the request path asks this first and builds what
     * {@link #check} needs only for the {@code rate} of hits drawn, not for every hit.
     */
    public boolean draws(Tier tier, Object served) {
        return settings.rate() != 0 && tier != Tier.LOADER && served != null
                && ThreadLocalRandom.current().nextDouble() < settings.rate() && !RECHECKING.get();
    }

    /**
     * A hit {@link #draws} drew; called on the request path, so it only hands over.
     *
     * @param served     the value the hit returned
     * @param loader     the read's loader: the database's answer for the key
     * @param servedNow  reads the key through this node's read path again: what the node would serve now
     */
    public void check(CacheKey key, Tier tier, Object served, Supplier<?> loader, Supplier<?> servedNow) {
        if (!pending.tryAcquire()) {
            dropped.increment();
            return;
        }
        Sample sample = new Sample(key, tier, served, loader, servedNow);
        try {
            executor.execute(() -> run(sample, this::firstCheck));
        } catch (RejectedExecutionException e) {
            // closed: the node is shutting down
            pending.release();
            dropped.increment();
        }
    }

    private void firstCheck(Sample sample) {
        sample.servedJson = codec.encode(sample.served);
        String database = codec.encode(sample.loader.get());
        checked.withTags("domain", sample.key.domain(), "tier", tierTag(sample.tier)).increment();
        if (sample.servedJson.equals(database)) {
            sample.end();
            return;
        }
        sample.databaseDifferedAt = System.nanoTime();
        schedule(sample);
    }

    private void recheck(Sample sample) {
        long now = System.nanoTime();
        if (!sample.servedJson.equals(servedNow(sample)) || sample.servedJson.equals(codec.encode(sample.loader.get()))) {
            // the node moved on (an eviction arrived, the entry expired), or the database holds the served value again
            finish(sample);
            return;
        }
        sample.lastStaleServe = now;
        if (!sample.confirmed) {
            sample.confirmed = true;
            staleHits.withTags("domain", sample.key.domain(), "tier", tierTag(sample.tier)).increment();
            log.warn("consistency stale hit, the node serves data older than a committed write tenant={} domain={} "
                    + "resource={} tier={} supersededForAtLeastMs={} nodeLagMs={}", sample.key.tenant(),
                    sample.key.domain(), sample.key.resource(), tierTag(sample.tier),
                    millis(now - sample.databaseDifferedAt), nodeLag());
        }
        if (now - sample.databaseDifferedAt >= settings.maxTracking().toNanos()) {
            finish(sample);
        } else {
            schedule(sample);
        }
    }

    /** The lag in whole milliseconds, or why there is none. */
    private String nodeLag() {
        double lag = nodeLagSeconds.getAsDouble();
        if (Double.isNaN(lag)) {
            return "not enforced";
        }
        return Double.isInfinite(lag) ? "unknown" : Long.toString(Math.round(lag * 1000));
    }

    private String servedNow(Sample sample) {
        RECHECKING.set(true);
        try {
            return codec.encode(sample.servedNow.get());
        } finally {
            RECHECKING.set(false);
        }
    }

    private void finish(Sample sample) {
        if (sample.confirmed) {
            long age = sample.lastStaleServe - sample.databaseDifferedAt;
            staleAge.withTag("domain", sample.key.domain())
                    .record(age, TimeUnit.NANOSECONDS);
            log.info("consistency stale hit over tenant={} domain={} resource={} tier={} ageMs={}", sample.key.tenant(),
                    sample.key.domain(), sample.key.resource(), tierTag(sample.tier), millis(age));
        }
        sample.end();
    }

    private void schedule(Sample sample) {
        try {
            executor.schedule(() -> run(sample, this::recheck), settings.confirmAfter().toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            sample.end();
        }
    }

    /** Runs one step of a sample; whatever fails ends the sample as a failure, never a stale hit. */
    private void run(Sample sample, Consumer<Sample> step) {
        try {
            step.accept(sample);
        } catch (RuntimeException e) {
            if (sample.confirmed) {
                // a stale hit already: its age is known up to the last re-check that served it
                finish(sample);
                return;
            }
            failed.withTag("domain", sample.key.domain()).increment();
            log.debug("consistency sample failed tenant={} domain={} resource={} error={}", sample.key.tenant(),
                    sample.key.domain(), sample.key.resource(), e instanceof JacksonException json
                            ? json.getOriginalMessage() : e.toString());
            sample.end();
        }
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    /** Samples still in flight: waiting for their re-read or being re-checked. */
    public int inFlight() {
        return settings.maxPending() - pending.availablePermits();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    /** One sampled hit, touched by one executor task at a time. */
    private final class Sample {
        final CacheKey key;
        final Tier tier;
        final Object served;
        final Supplier<?> loader;
        final Supplier<?> servedNow;
        String servedJson;
        long databaseDifferedAt;
        long lastStaleServe;
        boolean confirmed;
        private boolean ended;

        Sample(CacheKey key, Tier tier, Object served, Supplier<?> loader, Supplier<?> servedNow) {
            this.key = key;
            this.tier = tier;
            this.served = served;
            this.loader = loader;
            this.servedNow = servedNow;
        }

        void end() {
            if (!ended) {
                ended = true;
                pending.release();
            }
        }
    }
}
