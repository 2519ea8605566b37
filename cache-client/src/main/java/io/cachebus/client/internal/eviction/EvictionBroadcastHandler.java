package io.cachebus.client.internal.eviction;

import io.cachebus.client.CachebusMeter;
import io.cachebus.client.internal.tiered.KnownRedisGenerations;
import io.cachebus.client.internal.tiered.LocalInvalidation;
import io.cachebus.client.internal.tiered.ReadYourWrites;
import io.cachebus.client.internal.tiered.RedisPendingScopes;
import io.cachebus.client.internal.tiered.Scope;
import io.cachebus.events.EvictionBroadcast;
import io.cachebus.events.Tag;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this node does with an eviction broadcast. The order matters: the new Redis generation is learnt (or, when
 * the broadcast says Redis still holds the old entries, the scopes are marked to skip Redis) before the local
 * entries are dropped, so a read that starts after the drop cannot fetch the old entry from Redis and put it back
 * into L1.
 *
 * <p>A gap in a domain's sequences means broadcasts of the tenant were missed, and with them possibly tags of other
 * domains: every local entry of the tenant is dropped at once.
 */
public final class EvictionBroadcastHandler {

    public static final String RECEIVED = CachebusMeter.EVICTIONS_RECEIVED.meterName();
    public static final String GAPS = CachebusMeter.EVICTIONS_GAPS.meterName();
    /**
     * Broadcasts that arrived after a later one of their domain: writes of one tenant's domain on two nodes, whose
     * outbox relays sent them in the other order. Each filled a gap counted before, so gaps minus late broadcasts is
     * about what was really missed.
     */
    public static final String LATE = CachebusMeter.EVICTIONS_LATE.meterName();
    public static final String MALFORMED = CachebusMeter.EVICTIONS_MALFORMED.meterName();
    public static final String REASSIGNMENTS = CachebusMeter.EVICTIONS_REASSIGNMENTS.meterName();

    private static final Logger log = LoggerFactory.getLogger(EvictionBroadcastHandler.class);

    private final LocalInvalidation localInvalidation;
    private final KnownRedisGenerations knownRedisGenerations;
    private final ReadYourWrites readYourWrites;
    private final SequenceTracker sequences;
    private final RedisPendingScopes redisPending;
    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public EvictionBroadcastHandler(LocalInvalidation localInvalidation, KnownRedisGenerations knownRedisGenerations,
            ReadYourWrites readYourWrites, RedisPendingScopes redisPending, long maxTrackedScopes,
            MeterRegistry registry) {
        this.redisPending = redisPending;
        this.localInvalidation = localInvalidation;
        this.knownRedisGenerations = knownRedisGenerations;
        this.readYourWrites = readYourWrites;
        this.sequences = new SequenceTracker(maxTrackedScopes);
        this.registry = registry;
    }

    public void apply(EvictionBroadcast broadcast) {
        String tenant = broadcast.tenant();
        Scope domain = Scope.ofDomain(tenant, broadcast.domain());
        if (broadcast.redisPending()) {
            redisPending.markPending(Scope.of(tenant, broadcast.domain(), broadcast.tags()));
        }
        if (broadcast.generation() > 0) {
            knownRedisGenerations.observe(domain, broadcast.generation());
        } else {
            knownRedisGenerations.forget(domain);
        }
        for (Tag tag : broadcast.tags()) {
            // the broadcast carries no tag generations: read them from Redis on next use
            knownRedisGenerations.forget(Scope.ofTag(tenant, tag));
        }
        localInvalidation.evict(domain);
        broadcast.tags().forEach(tag -> localInvalidation.evictTag(tenant, tag));
        readYourWrites.clear(broadcast.eventIds());

        counter(RECEIVED, broadcast.domain()).increment();
        if (sequences.isOvertaken(broadcast.recordKey(), broadcast.toSequence())) {
            counter(LATE, broadcast.domain()).increment();
        }
        long missed = sequences.record(broadcast.recordKey(), broadcast.fromSequence(), broadcast.toSequence());
        if (missed > 0) {
            counter(GAPS, broadcast.domain()).increment();
            localInvalidation.evictTenant(tenant);
            // INFO, not WARN: with writes of one domain on several nodes, relays overtaking each other make gaps
            // that the late broadcast fills moments later (see LATE)
            log.info("eviction gap, broadcasts missed or overtaken; every local entry of the tenant dropped "
                    + "tenant={} domain={} missedSequences={} fromSequence={}", tenant, broadcast.domain(), missed,
                    broadcast.fromSequence());
        }
        log.debug("eviction applied tenant={} domain={} tags={} generation={} fromSequence={} toSequence={} eventIds={}",
                tenant, broadcast.domain(), broadcast.tags(), broadcast.generation(), broadcast.fromSequence(),
                broadcast.toSequence(), broadcast.eventIds().size());
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
        sequences.forgetAll();
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
