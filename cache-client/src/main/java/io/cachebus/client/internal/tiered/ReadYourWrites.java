package io.cachebus.client.internal.tiered;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Scopes this node wrote to whose invalidation has not come back yet. Until the eviction broadcast naming the
 * write's event arrives (Redis has then been invalidated), reads of those scopes on this node skip L2, which may
 * still hold the data from before the write, and go to the database.
 *
 * <p>A marker also ends after {@code maxWait}, so an invalidator outage cannot turn L2 off for good on the
 * writing node; after that the node sees what every other node sees.
 */
public final class ReadYourWrites {

    /** How many markers may exist before each new one also prunes the expired ones of every scope. */
    private static final int PRUNE_ALL_ABOVE = 10_000;

    private final long maxWaitNanos;
    private final LongSupplier nanoTime;
    private final Map<Scope, Map<UUID, Long>> deadlinesByScope = new ConcurrentHashMap<>();
    private final Map<UUID, List<Scope>> scopesByEvent = new ConcurrentHashMap<>();

    public ReadYourWrites(Duration maxWait) {
        this(maxWait, System::nanoTime);
    }

    ReadYourWrites(Duration maxWait, LongSupplier nanoTime) {
        this.maxWaitNanos = maxWait.toNanos();
        this.nanoTime = nanoTime;
    }

    /** Called after a write committed on this node, before its local entries are dropped. */
    public void markPending(UUID eventId, List<Scope> scopes) {
        long deadline = nanoTime.getAsLong() + maxWaitNanos;
        scopesByEvent.put(eventId, List.copyOf(scopes));
        for (Scope scope : scopes) {
            // compute, like dropIfEmpty: a marker is never added to a map that is being dropped
            deadlinesByScope.compute(scope, (s, deadlines) -> {
                Map<UUID, Long> target = deadlines == null ? new ConcurrentHashMap<>() : deadlines;
                target.put(eventId, deadline);
                return target;
            });
        }
        if (scopesByEvent.size() > PRUNE_ALL_ABOVE) {
            deadlinesByScope.keySet().forEach(this::isPending);
        }
    }

    /** Whether any of {@code scopes} has a write of this node whose invalidation is still on its way. */
    public boolean anyPending(List<Scope> scopes) {
        for (Scope scope : scopes) {
            if (isPending(scope)) {
                return true;
            }
        }
        return false;
    }

    public boolean isPending(Scope scope) {
        Map<UUID, Long> deadlines = deadlinesByScope.get(scope);
        if (deadlines == null) {
            return false;
        }
        long now = nanoTime.getAsLong();
        deadlines.entrySet().removeIf(marker -> {
            boolean expired = marker.getValue() - now <= 0;
            if (expired) {
                scopesByEvent.remove(marker.getKey());
            }
            return expired;
        });
        dropIfEmpty(scope);
        return !deadlines.isEmpty();
    }

    /** The broadcast listing these events arrived: Redis no longer holds data older than them. */
    public void clear(Collection<UUID> eventIds) {
        for (UUID eventId : eventIds) {
            List<Scope> scopes = scopesByEvent.remove(eventId);
            if (scopes != null) {
                for (Scope scope : scopes) {
                    Map<UUID, Long> deadlines = deadlinesByScope.get(scope);
                    if (deadlines != null) {
                        deadlines.remove(eventId);
                        dropIfEmpty(scope);
                    }
                }
            }
        }
    }

    private void dropIfEmpty(Scope scope) {
        deadlinesByScope.computeIfPresent(scope, (s, deadlines) -> deadlines.isEmpty() ? null : deadlines);
    }

    /** The number of writes of this node still waiting for their broadcast. */
    public int pending() {
        return scopesByEvent.size();
    }
}
