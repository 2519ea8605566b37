package io.cachebus.benchmarks;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.cachebus.client.CacheKey;
import io.cachebus.client.autoconfigure.CachebusProperties;
import io.cachebus.client.internal.consistency.ConsistencySampler;
import io.cachebus.client.internal.consistency.EnforcedStalenessBound;
import io.cachebus.client.internal.consistency.FreshnessProbe;
import io.cachebus.client.internal.consistency.InvalidationWatermarks;
import io.cachebus.client.internal.tiered.CacheInstrumentation;
import io.cachebus.client.internal.tiered.DefaultTieredCache;
import io.cachebus.client.internal.tiered.FallbackStore;
import io.cachebus.client.internal.tiered.KnownRedisGenerations;
import io.cachebus.client.internal.tiered.LocalGenerations;
import io.cachebus.client.internal.tiered.LocalInvalidation;
import io.cachebus.client.internal.tiered.ReadGuards;
import io.cachebus.client.internal.tiered.ReadYourWrites;
import io.cachebus.client.internal.tiered.RedisPendingScopes;
import io.cachebus.client.internal.tiered.ValueCodec;
import io.cachebus.events.InvalidationProgress;
import io.cachebus.events.InvalidationProgress.PartitionProgress;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import tools.jackson.databind.json.JsonMapper;

/**
 * One node's read of an entry already in L1, the path of issue 15's figure (a), beside the bare Caffeine lookup it is
 * built on. Every {@link DefaultTieredCache} here is made as the auto-configuration makes it (defaults of
 * {@link CachebusProperties}), without Spring and without Redis (the in-memory fallback is L2; a hit never reaches
 * it). The benchmarks differ in one thing each:
 * <ul>
 *   <li>{@link #bareCaffeine}: {@code getIfPresent} of a String key as long as the tiered cache's, on a Caffeine
 *       built like L1 (size bound, expiry after write, statistics): the floor;</li>
 *   <li>{@link #domainKeyHit}, {@link #entityKeyHit}: the tiered cache without read guards, for a key of the domain's
 *       collections and for a key of one entity (ADR 0017);</li>
 *   <li>{@link #entityKeyHitGuarded}: with what production wires: the staleness gate within its bound (a freshness
 *       probe keeps it there, as on a node whose invalidators are caught up), the consistency sampler at its default
 *       rate, the read-through bulkhead and the scopes an outage left pending in Redis;</li>
 *   <li>{@link #entityKeyHitGuardedWithKey}: the same, plus what the reference API does per request around it:
 *       building the {@link CacheKey} and the loader that captures the id.</li>
 * </ul>
 * Each checks at tear-down that its reads were L1 hits, so a figure never stands for another path.
 */
public class L1HitBenchmark extends NanosecondsPerOperation {

    static final String TENANT = "tenant-42";
    static final String DOMAIN = "workflows";
    static final String RESOURCE = "/api/workflows";
    static final long ID = 7L;
    /** Partitions of the mutation topic the gate tracks; which one a domain lands on costs the same. */
    static final int MUTATION_PARTITIONS = 6;

    /** A cached value, shaped like the reference API's workflow. */
    public record Workflow(long id, String tenant, String name, String status) {
    }

    static final Workflow VALUE = new Workflow(ID, TENANT, "onboarding", "ACTIVE");
    static final Supplier<Workflow> LOADER = () -> VALUE;

    private final CachebusProperties properties = new CachebusProperties();

    private Cache<String, Object> bareL1;
    private String bareKey;

    private DefaultTieredCache unguarded;
    private MeterRegistry unguardedMeters;
    private DefaultTieredCache guarded;
    private MeterRegistry guardedMeters;
    private EnforcedStalenessBound guardedBound;
    private FreshnessProbe probe;
    private ConsistencySampler sampler;

    private CacheKey domainKey;
    private CacheKey entityKey;

    @Setup(Level.Trial)
    public void setUp() {
        domainKey = CacheKey.of(TENANT, DOMAIN).resource(RESOURCE).param("page", 0).param("size", 20).build();
        entityKey = entityKey(ID);

        bareL1 = l1();
        // the tiered cache's L1 key is the canonical text followed by the local generations
        bareKey = entityKey.canonical() + "|1,2,0,";
        bareL1.put(bareKey, VALUE);

        unguardedMeters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        unguarded = tieredCache(unguardedMeters, ReadGuards.none());

        guardedMeters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        guarded = tieredCache(guardedMeters, productionGuards(guardedMeters));
        if (!guardedGateOpen()) {
            throw new IllegalStateException("the staleness gate should allow cached reads once the probe ran");
        }

        for (DefaultTieredCache cache : List.of(unguarded, guarded)) {
            cache.get(domainKey, Workflow.class, LOADER);
            cache.get(entityKey, Workflow.class, LOADER);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        probe.stop();
        sampler.close();
        if (lookups(unguardedMeters, "l1") + lookups(guardedMeters, "l1") == 0) {
            throw new IllegalStateException("no L1 hit counted: the benchmark measured another path");
        }
        requireNothingBelowL1(unguardedMeters);
        requireNothingBelowL1(guardedMeters);
    }

    @Benchmark
    public Object bareCaffeine() {
        return bareL1.getIfPresent(bareKey);
    }

    @Benchmark
    public Workflow domainKeyHit() {
        return unguarded.get(domainKey, Workflow.class, LOADER);
    }

    @Benchmark
    public Workflow entityKeyHit() {
        return unguarded.get(entityKey, Workflow.class, LOADER);
    }

    @Benchmark
    public Workflow entityKeyHitGuarded() {
        return guarded.get(entityKey, Workflow.class, LOADER);
    }

    @Benchmark
    public Workflow entityKeyHitGuardedWithKey() {
        long id = ID;
        // WorkflowService.get: the key and a loader capturing the request's id, built per request
        CacheKey key = CacheKey.of(TENANT, DOMAIN).entity(String.valueOf(id)).resource(RESOURCE + "/" + id).build();
        return guarded.get(key, Workflow.class, () -> id == VALUE.id() ? VALUE : null);
    }

    static CacheKey entityKey(long id) {
        return CacheKey.of(TENANT, DOMAIN).entity(String.valueOf(id)).resource(RESOURCE + "/" + id).build();
    }

    private Cache<String, Object> l1() {
        CachebusProperties.L1 l1 = properties.getL1();
        return Caffeine.newBuilder().maximumSize(l1.getMaxSize()).expireAfterWrite(l1.getTtl()).recordStats().build();
    }

    private DefaultTieredCache tieredCache(MeterRegistry meters, ReadGuards guards) {
        CachebusProperties.Fallback fallback = properties.getFallback();
        LocalInvalidation local = new LocalInvalidation(
                new LocalGenerations(properties.getMaxTrackedScopes(), properties.getMaxTrackedEntities()),
                new FallbackStore(fallback.getMaxSize(), fallback.getTtl()));
        return new DefaultTieredCache(l1(), local, null,
                new KnownRedisGenerations(properties.getMaxTrackedScopes(), properties.getMaxTrackedEntities(),
                        properties.getL1().getTtl()),
                new ReadYourWrites(properties.getReadYourWrites().getMaxWait()),
                new ValueCodec(JsonMapper.builder().build()), new CacheInstrumentation(meters, List.of()), guards);
    }

    /** What CachebusAutoConfiguration and CachebusConsistencyAutoConfiguration wire, with the invalidators caught up. */
    private ReadGuards productionGuards(MeterRegistry meters) {
        CachebusProperties.Consistency consistency = properties.getConsistency();
        Clock clock = Clock.systemUTC();
        EnforcedStalenessBound bound = new EnforcedStalenessBound(consistency.getMaxStaleness(), clock);
        InvalidationWatermarks watermarks = new InvalidationWatermarks(clock, consistency.getMaxStaleness());
        // one evictions partition, on which the invalidators reported every mutation partition processed through its
        // end offset (0): each probe then moves every partition's time to the probe's
        watermarks.assigned(List.of(0));
        watermarks.observe(0, new InvalidationProgress("benchmark-invalidator",
                IntStream.range(0, MUTATION_PARTITIONS).mapToObj(p -> new PartitionProgress(p, 0, 0)).toList(),
                Instant.now(clock)));
        probe = new FreshnessProbe(() -> new long[MUTATION_PARTITIONS], null, watermarks, bound, clock,
                consistency.getProbeInterval(), consistency.getProbePauseWhenUnaskedFor(), meters, () -> { });
        probe.tick();
        probe.start();
        CachebusProperties.Sampling sampling = consistency.getSampling();
        sampler = new ConsistencySampler(new ConsistencySampler.Settings(sampling.getRate(), sampling.getConfirmAfter(),
                sampling.getMaxTracking(), sampling.getMaxPending()), new ValueCodec(JsonMapper.builder().build()),
                meters);
        Bulkhead readThrough = Bulkhead.of("cachebus-read-through", BulkheadConfig.custom()
                .maxConcurrentCalls(consistency.getReadThroughMaxConcurrent())
                .maxWaitDuration(consistency.getReadThroughMaxWait())
                .build());
        RedisPendingScopes redisPending = new RedisPendingScopes(consistency.getRedisPendingMaxScopes(),
                consistency.getMaxStaleness(), clock, watermarks::redisWorkPending);
        this.guardedBound = bound;
        return new ReadGuards(bound, redisPending, readThrough, sampler, properties.getSharedLoadMaxWait());
    }

    private boolean guardedGateOpen() {
        return guardedBound.allowsCachedRead(io.cachebus.client.internal.tiered.Scope.of(entityKey));
    }

    /**
     * Every lookup must have been an L1 hit but for one in 100,000: the two loads of set-up, and L1's expiry after write,
     * which refills each key once per TTL (30 s) in a longer run. A read sent through by the staleness gate counts
     * against it too.
     */
    private static void requireNothingBelowL1(MeterRegistry meters) {
        double l1Hits = lookups(meters, "l1");
        double belowL1 = lookups(meters, "l2_fallback") + lookups(meters, "l2_redis") + lookups(meters, "loader");
        double readThroughs = meters.find(CacheInstrumentation.READ_THROUGH).counters().stream()
                .mapToDouble(c -> c.count()).sum();
        if (belowL1 + readThroughs > 2 + l1Hits / 100_000) {
            throw new IllegalStateException("not an L1-hit benchmark: l1=" + l1Hits + " below L1=" + belowL1
                    + " read through=" + readThroughs);
        }
    }

    private static double lookups(MeterRegistry meters, String tier) {
        return meters.find(CacheInstrumentation.LOOKUPS).tag("tier", tier).counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }
}
