package io.cachebus.invalidator;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;

/**
 * Every Micrometer meter the invalidator registers itself: the names to alert and chart on. Meters of the
 * libraries it binds (Kafka clients, Resilience4j) are theirs and are not listed.
 */
public enum InvalidatorMeter {

    /**
     * Counter. Tags {@code domain} and, unless {@code cachebus.invalidator.tenant-label} is off, {@code tenant}.
     * The {@code sba.} prefix is the name the first dashboards and alerts were built on.
     */
    INVALIDATIONS("sba.cache.invalidations", "Redis invalidations of a tenant's domain (one per coalesced group of events)"),
    /** Timer. Tags {@code strategy}, {@code domain}. */
    INVALIDATION_DURATION("cachebus.invalidation.duration", "Time spent in Redis per invalidation"),
    /** Distribution summary. */
    BATCH_SIZE("cachebus.invalidator.batch.size", "Records per poll batch of the mutation topic"),
    /**
     * Timer with a percentile histogram: from a write's commit (the time its event carries, the writer's clock) until
     * a poll of the invalidator returned its event: the relay and the first Kafka hop of the propagation.
     */
    MUTATION_AGE("cachebus.invalidator.mutation.age",
            "From a write's commit until the invalidator's poll returned its event"),
    /**
     * Timer with a percentile histogram, one sample per poll batch: from the poll's return until the batch's eviction
     * broadcast was handed to Kafka (decoding, the Redis work, the progress bookkeeping): the middle stretch of the
     * propagation, between {@link #MUTATION_AGE} and the nodes' {@code cachebus.eviction.broadcast.delivery}.
     */
    POLL_TO_BROADCAST("cachebus.invalidator.poll.to.broadcast",
            "From a poll's return until its batch's eviction broadcast was handed to Kafka"),
    /** Distribution summary. */
    COALESCING_RATIO("cachebus.invalidator.coalescing.ratio", "Events per Redis invalidation in a batch"),
    /** Counter. Tag {@code reason}. */
    DEAD_LETTERS("cachebus.invalidator.dead.letters", "Mutation records sent to the dead-letter topic"),
    /** Gauge. */
    REDIS_PENDING_PARTITIONS("cachebus.invalidator.redis.pending.partitions",
            "Mutation partitions whose Redis work is pending (broadcast, offsets held back)"),
    /** Counter. */
    BROADCASTS("cachebus.invalidator.broadcasts", "Eviction broadcast messages acknowledged by Kafka"),
    /** Counter. */
    BROADCASTS_REDIS_PENDING("cachebus.invalidator.broadcasts.redis.pending",
            "Eviction broadcast messages acknowledged by Kafka that said their Redis work is pending"),
    /** Counter. Tag {@code outcome} ({@code acknowledged}, {@code failed}). */
    PROGRESS_HEARTBEATS("cachebus.invalidator.progress.heartbeats",
            "Progress heartbeat records sent (one per evictions partition), by outcome");

    private final String meterName;
    private final String description;

    InvalidatorMeter(String meterName, String description) {
        this.meterName = meterName;
        this.description = description;
    }

    public String meterName() {
        return meterName;
    }

    public String description() {
        return description;
    }

    public Counter.Builder counter() {
        return Counter.builder(meterName).description(description);
    }

    public Timer.Builder timer() {
        return Timer.builder(meterName).description(description);
    }

    public DistributionSummary.Builder summary() {
        return DistributionSummary.builder(meterName).description(description);
    }
}
