package io.cachebus.client.tiered;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * This node's generation of every scope, folded into the keys of L1 and of the in-memory fallback: bumping a
 * scope makes all its local entries unreachable at once, whatever their number.
 *
 * <p>Every generation is a fresh tick of one node-wide clock, never reused. A scope the bounded map forgot (or
 * that {@link #bumpAll()} dropped) therefore comes back with a value no entry was ever stored under, so losing a
 * counter can only cause misses, never serve an old entry.
 */
public final class LocalGenerations {

    private final AtomicLong clock = new AtomicLong();
    private final Cache<Scope, Long> generations;

    public LocalGenerations(long maxTrackedScopes) {
        this.generations = Caffeine.newBuilder().maximumSize(maxTrackedScopes).build();
    }

    public long current(Scope scope) {
        return generations.get(scope, s -> clock.incrementAndGet());
    }

    /** The generations of {@code scopes}, in their order. */
    public long[] current(List<Scope> scopes) {
        long[] values = new long[scopes.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = current(scopes.get(i));
        }
        return values;
    }

    public boolean unchanged(List<Scope> scopes, long[] seen) {
        for (int i = 0; i < seen.length; i++) {
            if (current(scopes.get(i)) != seen[i]) {
                return false;
            }
        }
        return true;
    }

    public void bump(Scope scope) {
        generations.put(scope, clock.incrementAndGet());
    }

    public void bumpAll() {
        generations.invalidateAll();
    }

    /** How many scopes are tracked once pending evictions have run; never more than the configured maximum. */
    long trackedScopes() {
        generations.cleanUp();
        return generations.estimatedSize();
    }
}
