package io.cachebus.client.internal.tiered;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * This node's generation of every scope, folded into the keys of L1 and of the in-memory fallback: bumping a
 * scope makes all its local entries unreachable at once, whatever their number.
 *
 * <p>Every generation is a fresh tick of one node-wide clock, never reused. A scope the bounded map forgot (or
 * that {@link #bumpAll()} dropped) therefore comes back with a value no entry was ever stored under, so losing a
 * counter can only cause misses, never serve an old entry.
 *
 * <p>Entities (ADR 0017) are counted in a map of their own, with its own bound: there are far more of them than of
 * domains and tags, and their churn must not push out a domain's generation, which would make every entry of the
 * domain unreachable at once. Bumping an entity only forgets it, for the same reason: the next read takes a fresh
 * tick, and an eviction of an entity this node never read adds nothing to the map.
 *
 * <p>{@link #bumpAll()} also moves one node-wide epoch, which every read's snapshot carries after its scopes'
 * generations. Clearing the maps alone would leave a read whose generation was being computed during the clear with a
 * value that survives it; the epoch, a plain volatile read on the hot path, catches that read.
 */
public final class LocalGenerations {

    private final AtomicLong clock = new AtomicLong();
    private final Cache<Scope, Long> generations;
    private final Cache<Scope, Long> entityGenerations;
    /** Moved by every {@link #bumpAll()}: a snapshot taken before one never matches after it. */
    private final AtomicLong epoch = new AtomicLong();

    /**
     * @param maxTrackedScopes   the most domains and tags tracked at once
     * @param maxTrackedEntities the most entities tracked at once
     */
    public LocalGenerations(long maxTrackedScopes, long maxTrackedEntities) {
        this.generations = Caffeine.newBuilder().maximumSize(maxTrackedScopes).build();
        this.entityGenerations = Caffeine.newBuilder().maximumSize(maxTrackedEntities).build();
    }

    public LocalGenerations(long maxTrackedScopes) {
        this(maxTrackedScopes, maxTrackedScopes);
    }

    public long current(Scope scope) {
        return mapOf(scope).get(scope, s -> clock.incrementAndGet());
    }

    /** The generations of {@code scopes} (one read's), in their order, then the node-wide epoch. */
    public long[] current(List<Scope> scopes) {
        long[] values = new long[scopes.size() + 1];
        for (int i = 0; i < scopes.size(); i++) {
            values[i] = current(scopes.get(i));
        }
        values[scopes.size()] = epoch.get();
        return values;
    }

    public boolean unchanged(List<Scope> scopes, long[] seen) {
        return Arrays.equals(current(scopes), seen);
    }

    public void bump(Scope scope) {
        if (scope.isEntity()) {
            entityGenerations.invalidate(scope);
        } else {
            generations.put(scope, clock.incrementAndGet());
        }
    }

    public void bumpAll() {
        epoch.incrementAndGet();
        generations.invalidateAll();
        entityGenerations.invalidateAll();
    }

    /** How many scopes are tracked once pending evictions have run; never more than the configured maximum. */
    long trackedScopes() {
        generations.cleanUp();
        return generations.estimatedSize();
    }

    /** How many entities are tracked once pending evictions have run; never more than the configured maximum. */
    long trackedEntities() {
        entityGenerations.cleanUp();
        return entityGenerations.estimatedSize();
    }

    private Cache<Scope, Long> mapOf(Scope scope) {
        return scope.isEntity() ? entityGenerations : generations;
    }
}
