package io.cachebus.client.internal.tiered;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Redis generation of each scope as far as this node knows it, so an L2 read usually costs one GET instead
 * of an MGET of the counters first. Learnt from eviction broadcasts (which carry the domain's new generation)
 * and from reading the counters; an unknown scope is read from Redis.
 *
 * <p>A value may lag behind Redis only until the broadcast of the invalidation arrives, the same bound L1 has.
 * Entries also expire after {@code refreshAfter}, so even a lost broadcast cannot keep an old generation in use
 * for longer than that.
 *
 * <p>A counter read from Redis is only remembered if nothing was forgotten while the read was in flight
 * ({@link #readEpoch()}): otherwise a read that started before an invalidation could bring back the generation
 * the broadcast just told us to drop.
 *
 * <p>Entities (ADR 0017) are remembered in a map of their own, so that their number cannot push out the generations
 * of domains, tags and collections, which nearly every read needs.
 */
public final class KnownRedisGenerations {

    private final Cache<Scope, Long> generations;
    private final ConcurrentMap<Scope, Long> view;
    private final Cache<Scope, Long> entityGenerations;
    private final ConcurrentMap<Scope, Long> entityView;
    private final AtomicLong epoch = new AtomicLong();

    /**
     * @param maxTrackedScopes   the most domains, tags and collections remembered at once
     * @param maxTrackedEntities the most entities remembered at once
     */
    public KnownRedisGenerations(long maxTrackedScopes, long maxTrackedEntities, Duration refreshAfter) {
        this.generations = Caffeine.newBuilder().maximumSize(maxTrackedScopes).expireAfterWrite(refreshAfter).build();
        this.view = generations.asMap();
        this.entityGenerations = Caffeine.newBuilder().maximumSize(maxTrackedEntities).expireAfterWrite(refreshAfter)
                .build();
        this.entityView = entityGenerations.asMap();
    }

    public KnownRedisGenerations(long maxTrackedScopes, Duration refreshAfter) {
        this(maxTrackedScopes, maxTrackedScopes, refreshAfter);
    }

    /** The known generation, or {@code null} when it has to be read from Redis. */
    public Long get(Scope scope) {
        return viewOf(scope).get(scope);
    }

    /** Taken before reading counters from Redis, passed to {@link #remember}. */
    public long readEpoch() {
        return epoch.get();
    }

    /** Remembers a counter read from Redis, unless a scope was forgotten since {@code epochBeforeRead}. */
    public void remember(Scope scope, long generation, long epochBeforeRead) {
        viewOf(scope).compute(scope, (s, known) -> epoch.get() != epochBeforeRead ? known
                : known == null ? Long.valueOf(generation) : Long.valueOf(Math.max(known, generation)));
    }

    /** The generation a broadcast announced. Generations only grow: an older value never replaces a newer one. */
    public void observe(Scope scope, long generation) {
        viewOf(scope).merge(scope, generation, Math::max);
    }

    /**
     * The epoch moves before the scope goes: a {@link #remember} that checked the epoch before the move stored its value
     * first and this removes it; one that checks after the move stores nothing. (A compute that moved it while holding
     * the entry's lock did the same at the cost of a lock, and for an absent scope a placeholder node, per call: a
     * broadcast forgets every entity of every write, most of which this node never read.)
     */
    public void forget(Scope scope) {
        epoch.incrementAndGet();
        viewOf(scope).remove(scope);
    }

    public void forgetAll() {
        epoch.incrementAndGet();
        generations.invalidateAll();
        entityGenerations.invalidateAll();
    }

    /** How many scopes are tracked once pending evictions have run; never more than the configured maximum. */
    long trackedScopes() {
        generations.cleanUp();
        return generations.estimatedSize();
    }

    /** How many entities are remembered once pending evictions have run; never more than the configured maximum. */
    long trackedEntities() {
        entityGenerations.cleanUp();
        return entityGenerations.estimatedSize();
    }

    private ConcurrentMap<Scope, Long> viewOf(Scope scope) {
        return scope.isEntity() ? entityView : view;
    }
}
