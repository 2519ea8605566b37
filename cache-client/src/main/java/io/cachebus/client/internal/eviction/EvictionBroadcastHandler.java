package io.cachebus.client.internal.eviction;

import io.cachebus.client.CachebusMeter;
import io.cachebus.client.internal.tiered.KnownRedisGenerations;
import io.cachebus.client.internal.tiered.LocalInvalidation;
import io.cachebus.client.internal.tiered.ReadYourWrites;
import io.cachebus.client.internal.tiered.RedisPendingScopes;
import io.cachebus.client.internal.tiered.Scope;
import io.cachebus.events.EvictionBatch;
import io.cachebus.events.EvictionBatch.ScopeEviction;
import io.cachebus.events.EvictionBroadcast;
import io.cachebus.events.InvalidationProgress;
import io.cachebus.events.Tag;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this node does with an eviction broadcast. The order matters: the new Redis generation is learnt (or, when
 * the broadcast says Redis still holds the old entries, the scopes are marked to skip Redis) before the local
 * entries are dropped, so a read that starts after the drop cannot fetch the old entry from Redis and put it back
 * into L1.
 *
 * <p>A progress report that vouches for an earlier one this node never read on its evictions partition means records
 * of that partition were skipped, broadcasts of any tenant among them (ADR 0016): everything local is dropped, as on a
 * reassignment.
 */
public final class EvictionBroadcastHandler {

    public static final String RECEIVED = CachebusMeter.EVICTIONS_RECEIVED.meterName();
    public static final String GAPS = CachebusMeter.EVICTIONS_GAPS.meterName();
    public static final String MALFORMED = CachebusMeter.EVICTIONS_MALFORMED.meterName();
    public static final String REASSIGNMENTS = CachebusMeter.EVICTIONS_REASSIGNMENTS.meterName();
    /**
     * From the commit of the oldest mutation a compact broadcast covers (the writer's clock) until this node applied
     * it: a bound on the propagation of every mutation in it. Broadcasts of the per-group format carry no commit time
     * and are not timed.
     */
    public static final String PROPAGATION = CachebusMeter.EVICTION_PROPAGATION.meterName();
    /** The last stretch of {@link #PROPAGATION}: from the broadcast's send (its record's create time) to applied. */
    public static final String BROADCAST_DELIVERY = CachebusMeter.EVICTION_BROADCAST_DELIVERY.meterName();

    private static final Logger log = LoggerFactory.getLogger(EvictionBroadcastHandler.class);

    private final LocalInvalidation localInvalidation;
    private final KnownRedisGenerations knownRedisGenerations;
    private final ReadYourWrites readYourWrites;
    private final CoverageTracker coverage;
    private final RedisPendingScopes redisPending;
    private final String nodeId;
    private final Clock clock;
    private final MeterRegistry registry;
    private final Timer propagation;
    private final Timer broadcastDelivery;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    /**
     * @param maxTrackedPairs how many (evictions partition, mutation partition) pairs the gap check remembers at most
     * @param nodeId this node's id, the {@code sourceNode} of the mutations it writes: a compact broadcast's event ids
     *               of this writer clear its read-your-writes marks
     * @param clock  the clock the propagation is measured against (the writers' commit times are wall-clock times)
     */
    public EvictionBroadcastHandler(LocalInvalidation localInvalidation, KnownRedisGenerations knownRedisGenerations,
            ReadYourWrites readYourWrites, RedisPendingScopes redisPending, long maxTrackedPairs, String nodeId,
            Clock clock, MeterRegistry registry) {
        this.redisPending = redisPending;
        this.localInvalidation = localInvalidation;
        this.knownRedisGenerations = knownRedisGenerations;
        this.readYourWrites = readYourWrites;
        this.coverage = new CoverageTracker(maxTrackedPairs);
        this.nodeId = nodeId;
        this.clock = clock;
        this.registry = registry;
        this.propagation = propagationTimer(CachebusMeter.EVICTION_PROPAGATION, registry);
        this.broadcastDelivery = propagationTimer(CachebusMeter.EVICTION_BROADCAST_DELIVERY, registry);
    }

    /** A timer of the propagation path: milliseconds to seconds. */
    private static Timer propagationTimer(CachebusMeter meter, MeterRegistry registry) {
        return meter.histogramTimer(registry, Duration.ofMillis(1), Duration.ofSeconds(30));
    }

    /** A per-group broadcast: one scope, with every event id of it. */
    public void apply(EvictionBroadcast broadcast) {
        applyScope(broadcast.tenant(), broadcast.domain(), broadcast.entityIds(), broadcast.tags(),
                broadcast.generation(), broadcast.redisPending());
        readYourWrites.clear(broadcast.eventIds());
        log.debug("eviction applied tenant={} domain={} tags={} generation={} eventIds={}", broadcast.tenant(),
                broadcast.domain(), broadcast.tags(), broadcast.generation(), broadcast.eventIds().size());
    }

    /**
     * A compact broadcast (ADR 0014): its scopes in order, each exactly as a per-group broadcast of it, then this
     * node's own writes among them are cleared from read-your-writes, and the propagation is recorded. The caller
     * reads its progress only after this returned.
     */
    public void apply(EvictionBatch batch) {
        for (ScopeEviction scope : batch.scopes()) {
            applyScope(scope.tenant(), scope.domain(), scope.entityIds(), scope.tags(), scope.generation(),
                    scope.redisPending());
            List<UUID> ownWrites = scope.eventIdsWrittenBy(nodeId);
            if (!ownWrites.isEmpty()) {
                readYourWrites.clear(ownWrites);
            }
            if (log.isDebugEnabled()) {
                // fields of structured logs (logging.structured.format.console), as the per-group path has in its MDC;
                // the ids are this node's own writes only, the only ones the listener reads (nodeId())
                String eventIds = ownWrites.stream().map(UUID::toString).collect(Collectors.joining(","));
                log.atDebug().addKeyValue("tenant", scope.tenant()).addKeyValue("domain", scope.domain())
                        .addKeyValue("eventIds", eventIds)
                        .log("eviction applied tenant={} domain={} tags={} generation={} events={}", scope.tenant(),
                                scope.domain(), scope.tags(), scope.generation(), scope.events());
            }
        }
        batch.committedRange().ifPresent(range -> {
            // at the clocks' own resolution (microseconds here), not rounded to milliseconds: the target is 5 ms
            Duration propagated = Duration.between(range.oldest(), clock.instant());
            propagation.record(propagated.isNegative() ? Duration.ZERO : propagated);
        });
        log.debug("eviction batch applied invalidatorId={} scopes={}", batch.invalidatorId(), batch.scopes().size());
    }

    /**
     * The writer this node is ({@code sourceNode} of its mutations): of a compact broadcast's event ids, only this
     * writer's are of use here, and the listener reads no others.
     */
    public String nodeId() {
        return nodeId;
    }

    /**
     * A compact broadcast sent at {@code sentEpochMillis} (the invalidator's clock, as its record's create time) was
     * applied just now: how much of the propagation the second Kafka hop and this node took.
     */
    public void delivered(long sentEpochMillis) {
        long tookMillis = clock.millis() - sentEpochMillis;
        broadcastDelivery.record(Math.max(0, tookMillis), TimeUnit.MILLISECONDS);
    }

    /**
     * One scope of a broadcast: the whole domain, or with {@code entityIds} only those entities and the domain's
     * collections (ADR 0017); then its tags.
     */
    private void applyScope(String tenant, String domainName, List<String> entityIds, List<Tag> tags, long generation,
            boolean scopeRedisPending) {
        List<Scope> evicted = Scope.of(tenant, domainName, entityIds, tags);
        if (scopeRedisPending) {
            redisPending.markPending(evicted);
        }
        // the generation announced is the first scope's: the domain's, or the collections' for single-entity writes
        Scope announced = evicted.get(0);
        if (generation > 0) {
            knownRedisGenerations.observe(announced, generation);
        } else {
            knownRedisGenerations.forget(announced);
        }
        for (Scope other : evicted.subList(1, evicted.size())) {
            // the broadcast carries no entity or tag generations: read them from Redis on next use
            knownRedisGenerations.forget(other);
        }
        evicted.forEach(localInvalidation::evict);

        counter(RECEIVED, domainName).increment();
    }

    /**
     * A progress report read on {@code evictionsPartition} (a heartbeat, or a compact batch's once its scopes are
     * applied), before the staleness bound takes it. If it vouches for an earlier report this node did not read
     * there, records of the partition were skipped without a reassignment (a position reset past records removed
     * before they were read, a truncated log), and with them perhaps broadcasts of any tenant, some saying Redis still
     * held old entries: everything local is dropped and the known Redis generations forgotten, as on a reassignment.
     * Returns whether it found such a gap.
     */
    public boolean progressRead(int evictionsPartition, InvalidationProgress progress) {
        List<CoverageTracker.Gap> gaps = coverage.read(evictionsPartition, progress.partitions());
        if (gaps.isEmpty()) {
            return false;
        }
        redisPending.lostTrack();
        knownRedisGenerations.forgetAll();
        localInvalidation.evictAll();
        counter(GAPS, null).increment();
        CoverageTracker.Gap first = gaps.get(0);
        log.warn("eviction gap, records of the evictions topic skipped; every local entry dropped "
                + "evictionsPartition={} mutationPartition={} readThrough={} acknowledgedThrough={} invalidatorId={} "
                + "mutationPartitions={}", first.evictionsPartition(), first.mutationPartition(), first.readThrough(),
                first.acknowledgedThrough(), progress.invalidatorId(), gaps.size());
        return true;
    }

    /**
     * The subscription was (re)assigned: broadcasts may have been missed while it was not, so nothing local can be
     * trusted. L1 and the fallback are dropped and the known Redis generations forgotten; L2 still answers (unless
     * an invalidator reports Redis work pending, which the missed broadcasts may have named), so the database sees at
     * most one load per key and node, not a stampede.
     *
     * <p>The first assignment after start missed nothing this node had: its caches are empty, and the pending Redis
     * work of an outage already under way is announced by the invalidators' next progress, which the staleness bound
     * waits for before it lets any cached read through.
     *
     * @param firstAssignment whether this is the subscription's first assignment since the node started
     */
    public void reassigned(String partitions, boolean firstAssignment) {
        if (!firstAssignment) {
            redisPending.lostTrack();
        }
        knownRedisGenerations.forgetAll();
        localInvalidation.evictAll();
        coverage.forgetAll();
        counter(REASSIGNMENTS, null).increment();
        log.info("eviction subscription assigned, every local entry dropped partitions={}", partitions);
    }

    public void malformed(String recordKey, RuntimeException error) {
        counter(MALFORMED, null).increment();
        log.warn("eviction broadcast skipped, malformed recordKey={} error={}", recordKey, error.getMessage());
    }

    private Counter counter(String name, String domain) {
        return counters.computeIfAbsent(name + '|' + domain, id -> {
            Counter.Builder builder = Counter.builder(name);
            if (domain != null) {
                builder.tag("domain", domain);
            }
            return builder.register(registry);
        });
    }
}
