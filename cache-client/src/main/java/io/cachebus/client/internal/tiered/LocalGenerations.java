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
 */
public final class LocalGenerations {

    private final AtomicLong clock = new AtomicLong();
    private final Cache<Scope, Long> generations;
    /** One more generation per tenant, below its scopes': moving it drops every local entry of the tenant. */
    private final Cache<String, Long> tenantGenerations;

    public LocalGenerations(long maxTrackedScopes) {
        this.generations = Caffeine.newBuilder().maximumSize(maxTrackedScopes).build();
        this.tenantGenerations = Caffeine.newBuilder().maximumSize(maxTrackedScopes).build();
    }

    public long current(Scope scope) {
        return generations.get(scope, s -> clock.incrementAndGet());
    }

    /**
     * The generations of {@code scopes} (one read's, so of one tenant), in their order, then the generation of their
     * tenant.
     */
    public long[] current(List<Scope> scopes) {
        long[] values = new long[scopes.size() + 1];
        for (int i = 0; i < scopes.size(); i++) {
            values[i] = current(scopes.get(i));
        }
        values[scopes.size()] = tenantGeneration(scopes.get(0).tenant());
        return values;
    }

    public boolean unchanged(List<Scope> scopes, long[] seen) {
        return Arrays.equals(current(scopes), seen);
    }

    private long tenantGeneration(String tenant) {
        return tenantGenerations.get(tenant, t -> clock.incrementAndGet());
    }

    public void bump(Scope scope) {
        generations.put(scope, clock.incrementAndGet());
    }

    /** Every scope of the tenant moves at once: what a gap in its broadcasts may have left stale. */
    public void bumpTenant(String tenant) {
        tenantGenerations.put(tenant, clock.incrementAndGet());
    }

    public void bumpAll() {
        tenantGenerations.invalidateAll();
        generations.invalidateAll();
    }

    /** How many scopes are tracked once pending evictions have run; never more than the configured maximum. */
    long trackedScopes() {
        generations.cleanUp();
        return generations.estimatedSize();
    }
}
