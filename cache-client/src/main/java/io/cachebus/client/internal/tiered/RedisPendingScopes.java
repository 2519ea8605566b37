package io.cachebus.client.internal.tiered;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * Scopes whose Redis entries may still be stale because an invalidator broadcast their eviction while Redis could
 * not be invalidated ({@code redisPending}). Reads of them skip Redis (L1, the in-memory fallback and the database
 * answer instead) until the invalidators report no pending Redis work any more.
 *
 * <p>The marks are cleared all at once, not scope by scope: a tag can be named by mutations on several partitions,
 * and only "no invalidator holds Redis work" proves all of them are done. When this node cannot tell which scopes
 * are pending (its subscription was reassigned and may have skipped broadcasts, or the set is full), it keeps away
 * from Redis altogether on the same terms.
 */
public final class RedisPendingScopes {

    private final int maxScopes;
    private final Duration hold;
    private final Clock clock;
    private final BooleanSupplier invalidatorsReportPending;
    private final Set<Scope> pending = ConcurrentHashMap.newKeySet();
    private volatile boolean untracked;
    private volatile long lastMarkedAt = Long.MIN_VALUE;

    /**
     * @param hold                      how long marks stay at least, so the invalidators' next reports (which say
     *                                  whether work is pending) have arrived before they are trusted
     * @param invalidatorsReportPending whether some invalidator recently reported pending Redis work
     */
    public RedisPendingScopes(int maxScopes, Duration hold, Clock clock, BooleanSupplier invalidatorsReportPending) {
        this.maxScopes = maxScopes;
        this.hold = hold;
        this.clock = clock;
        this.invalidatorsReportPending = invalidatorsReportPending;
    }

    /** A broadcast said Redis still holds the old entries of these scopes. */
    public synchronized void markPending(List<Scope> scopes) {
        lastMarkedAt = clock.millis();
        if (pending.size() + scopes.size() > maxScopes) {
            untracked = true;
        } else {
            pending.addAll(scopes);
        }
    }

    /** Broadcasts may have been missed: any scope may be pending. */
    public synchronized void lostTrack() {
        lastMarkedAt = clock.millis();
        untracked = true;
    }

    /** Whether a read of {@code scopes} must not use Redis. */
    public boolean skipRedis(List<Scope> scopes) {
        if (!untracked && pending.isEmpty()) {
            return false;
        }
        if (clearIfDone()) {
            return false;
        }
        if (untracked) {
            return true;
        }
        for (Scope scope : scopes) {
            if (pending.contains(scope)) {
                return true;
            }
        }
        return false;
    }

    /** Clears every mark once none was made for the hold and no invalidator reports pending work. */
    private synchronized boolean clearIfDone() {
        if (clock.millis() - lastMarkedAt <= hold.toMillis() || invalidatorsReportPending.getAsBoolean()) {
            return false;
        }
        untracked = false;
        pending.clear();
        return true;
    }

    /** Scopes marked now (0 when none, or when the node lost track and skips Redis for all). */
    public int size() {
        return pending.size();
    }
}
