package io.cachebus.client;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * Every Micrometer meter an API node registers under the {@code cachebus.} prefix: the names to alert and chart
 * on (Prometheus turns {@code cachebus.cache.lookups} into {@code cachebus_cache_lookups_total}). Meters of the
 * libraries the node binds (Caffeine's {@code cache.*}, Resilience4j's) are theirs and are not listed.
 */
public enum CachebusMeter {

    /** Counter. Tags {@code domain}, {@code tier}. */
    CACHE_LOOKUPS("cachebus.cache.lookups", "Reads of the tiered cache, by the tier that answered"),
    /** Timer. Tag {@code tier}; its count equals the sum of {@link #CACHE_LOOKUPS} over domains. */
    CACHE_LOOKUP("cachebus.cache.lookup", "Time a read of the tiered cache took, by the tier that answered"),
    /** Counter. Tag {@code domain}. */
    CACHE_LOADS("cachebus.cache.loads", "Values the loader produced and the cache stored"),
    /** Counter. Tag {@code domain}. */
    CACHE_FALLBACKS("cachebus.cache.fallbacks", "Reads that used the in-memory stand-in because Redis failed"),
    /** Counter. Tag {@code domain}. */
    CACHE_STALE_REFUSED("cachebus.cache.stale.refused",
            "Loaded values not stored because their scope was invalidated while loading"),
    /**
     * Counter. Tags {@code domain}, {@code reason}: {@code read-your-writes} (a write of this node whose invalidation
     * is not back yet: the read goes to the loader) or {@code redis-pending} (Redis missed an invalidation during an
     * outage: the read uses the in-memory fallback).
     */
    CACHE_L2_SKIPPED("cachebus.cache.l2.skipped",
            "Reads that missed L1 and did not ask Redis, because it may still hold data from before a write"),
    /** Counter. Tag {@code domain}. */
    CONSISTENCY_READ_THROUGH("cachebus.consistency.read.through",
            "Reads sent to the loader because this node could not show it is within the staleness bound"),
    /** Counter. Tag {@code domain}. */
    CONSISTENCY_BOUND_NOT_ENFORCED("cachebus.consistency.bound.not.enforced",
            "Reads answered from the caches although the node was behind: the read-through bulkhead stayed full"),
    /** Gauge, seconds. */
    CONSISTENCY_LAG("cachebus.consistency.lag",
            "Age of the oldest mutation that may not have been invalidated on this node yet"),
    /** Counter. Tag {@code stage} ({@code outbox}, {@code kafka}). */
    CONSISTENCY_PROBE_FAILURES("cachebus.consistency.probe.failures",
            "Freshness probes that could not read their input"),
    /** Counter. Tags {@code domain}, {@code tier}. */
    CONSISTENCY_SAMPLES_CHECKED("cachebus.consistency.samples.checked", "Sampled hits compared with the database"),
    /** Counter. */
    CONSISTENCY_SAMPLES_DROPPED("cachebus.consistency.samples.dropped",
            "Sampled hits given up because max-pending samples were in flight already"),
    /** Counter. Tag {@code domain}. */
    CONSISTENCY_SAMPLES_FAILED("cachebus.consistency.samples.failed",
            "Sampled hits whose re-read failed (the loader threw, or a value did not encode)"),
    /** Counter. Tags {@code domain}, {@code tier}. */
    CONSISTENCY_STALE_HITS("cachebus.consistency.stale.hits", "Sampled hits confirmed stale"),
    /** Timer. Tag {@code domain}. */
    CONSISTENCY_STALE_AGE("cachebus.consistency.stale.age",
            "How long a confirmed stale hit's value went on being served"),
    /** Gauge. */
    OUTBOX_PENDING("cachebus.outbox.pending", "Outbox rows not yet acknowledged by Kafka (all nodes)"),
    /** Counter. Tag {@code domain}. */
    OUTBOX_PUBLISHED("cachebus.outbox.published", "DomainMutated events acknowledged by Kafka"),
    /**
     * Timer with a percentile histogram: what recording a mutation adds to a write's transaction, on the writing
     * thread (the event built and encoded, its outbox row inserted: one database round trip).
     */
    OUTBOX_RECORD("cachebus.outbox.record",
            "Time a write's transaction spent recording its mutation: the event encoded, its outbox row inserted"),
    /**
     * Timer with a percentile histogram: what a write's commit is followed by on the writing thread, before its
     * response (read-your-writes marks, the local evictions, the event handed to the Kafka producer).
     */
    OUTBOX_AFTER_COMMIT("cachebus.outbox.after.commit",
            "Time a write spent after its commit on cachebus's work: local evictions, the event handed to Kafka"),
    /** Counter. Tag {@code domain}. */
    EVICTIONS_RECEIVED("cachebus.evictions.received", "Eviction broadcasts applied on this node"),
    /** Counter. */
    EVICTIONS_GAPS("cachebus.evictions.gaps",
            "Progress reports showing records of an evictions partition skipped, each dropping every local entry"),
    /** Counter. */
    EVICTIONS_MALFORMED("cachebus.evictions.malformed", "Eviction broadcasts skipped because they did not decode"),
    /** Counter. */
    EVICTIONS_REASSIGNMENTS("cachebus.evictions.reassignments",
            "Assignments of the eviction subscription, each dropping every local entry"),
    /** Timer with a percentile histogram. Compact broadcasts only: the per-group format carries no commit time. */
    EVICTION_PROPAGATION("cachebus.eviction.propagation",
            "From the commit of the oldest mutation a compact eviction broadcast covers until this node applied it"),
    /**
     * Timer with a percentile histogram: the last stretch of {@link #EVICTION_PROPAGATION}, from the invalidator's
     * send of a compact broadcast (its Kafka record's create time) until this node applied it; the rest is the relay,
     * the first Kafka hop and the invalidator's work. Milliseconds, the record timestamp's resolution.
     */
    EVICTION_BROADCAST_DELIVERY("cachebus.eviction.broadcast.delivery",
            "From the invalidator's send of a compact eviction broadcast until this node applied it"),
    /** Counter. Tag {@code kind}. */
    SQL_STATEMENTS("cachebus.sql.statements", "Statements run through the SQL facility, by how each was handled"),
    /** Counter. Tag {@code trigger} ({@code write}, {@code flush}, {@code datasource}). */
    SQL_INVALIDATIONS("cachebus.sql.invalidations", "Scopes recorded for invalidation"),
    /** Counter. */
    SQL_INVALIDATIONS_FAILED("cachebus.sql.invalidations.failed",
            "Committed JDBC writes whose invalidation could not be recorded"),
    /** Counter. */
    SQL_UNPARSED("cachebus.sql.unparsed",
            "JDBC statements the parser could not read, each invalidating every table of its tenant"),
    /** Function counter. */
    SQL_PARSES("cachebus.sql.parses", "SQL texts parsed: each distinct remembered text once");

    private final String meterName;
    private final String description;

    CachebusMeter(String meterName, String description) {
        this.meterName = meterName;
        this.description = description;
    }

    /** The Micrometer name, dotted. */
    public String meterName() {
        return meterName;
    }

    /** One line, also the meter's Micrometer description. */
    public String description() {
        return description;
    }

    /** This counter, one per tag values: Micrometer keeps the meters, no map of ours does. */
    public Meter.MeterProvider<Counter> counters(MeterRegistry registry) {
        return Counter.builder(meterName).description(description).withRegistry(registry);
    }

    public Counter.Builder counter() {
        return Counter.builder(meterName).description(description);
    }

    public Timer.Builder timer() {
        return Timer.builder(meterName).description(description);
    }

    /**
     * This timer with a percentile histogram (the buckets Prometheus quantiles are read from) over the durations it
     * is expected to see, registered.
     */
    public Timer histogramTimer(MeterRegistry registry, Duration shortest, Duration longest) {
        return timer()
                .publishPercentileHistogram()
                .minimumExpectedValue(shortest)
                .maximumExpectedValue(longest)
                .register(registry);
    }
}
