package io.cachebus.client.internal.consistency;

import io.cachebus.events.InvalidationProgress;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * How far the invalidators have come, as this node has read it: per mutation-topic partition, the offset below
 * which every record's eviction broadcasts have been applied here.
 *
 * <p>An invalidator sends its progress to every evictions partition after the broadcasts it covers, so progress read
 * on one evictions partition only vouches for the broadcasts of that partition. A mutation partition therefore
 * counts as processed through the lowest offset reported for it across every evictions partition this node reads.
 */
public final class InvalidationWatermarks {

    private final Clock clock;
    private final Duration pendingReportLifetime;
    /** evictions partition -> mutation partition -> processedThrough; guarded by this */
    private final Map<Integer, Map<Integer, Long>> reported = new HashMap<>();
    private final Set<Integer> assigned = new HashSet<>();
    /** invalidator id -> until when its last report of pending Redis work holds; guarded by this */
    private final Map<String, Long> redisPendingUntil = new HashMap<>();
    /** Told, outside this object's lock, whenever a report moved some mutation partition's offset forward. */
    private final List<Runnable> advanceListeners = new CopyOnWriteArrayList<>();

    /**
     * @param pendingReportLifetime how long an invalidator's report of pending Redis work holds without being
     *                              repeated; it repeats it with every heartbeat while the work is pending
     */
    public InvalidationWatermarks(Clock clock, Duration pendingReportLifetime) {
        this.clock = clock;
        this.pendingReportLifetime = pendingReportLifetime;
    }

    public synchronized void assigned(Collection<Integer> evictionsPartitions) {
        assigned.addAll(evictionsPartitions);
    }

    public synchronized void revoked(Collection<Integer> evictionsPartitions) {
        assigned.removeAll(evictionsPartitions);
        evictionsPartitions.forEach(reported::remove);
    }

    public void observe(int evictionsPartition, InvalidationProgress progress) {
        boolean advanced = false;
        synchronized (this) {
            Map<Integer, Long> byMutationPartition = reported.computeIfAbsent(evictionsPartition,
                    e -> new HashMap<>());
            for (InvalidationProgress.PartitionProgress partition : progress.partitions()) {
                Long before = byMutationPartition.get(partition.partition());
                if (before == null || partition.processedThrough() > before) {
                    byMutationPartition.put(partition.partition(), partition.processedThrough());
                    advanced = true;
                }
            }
            if (progress.redisPending()) {
                redisPendingUntil.put(progress.invalidatorId(), clock.millis() + pendingReportLifetime.toMillis());
            } else {
                redisPendingUntil.remove(progress.invalidatorId());
            }
        }
        if (advanced) {
            // outside the lock: a listener reads processedThrough, and may hold a lock of its own meanwhile
            advanceListeners.forEach(Runnable::run);
        }
    }

    /**
     * Runs {@code listener} on the thread that observed a report, each time a report moved some mutation partition's
     * offset forward, so the times vouched for can move as soon as the progress arrives rather than at the next probe.
     */
    public void onAdvance(Runnable listener) {
        advanceListeners.add(listener);
    }

    /**
     * The offset below which every record of {@code mutationPartition} has had its broadcasts applied on this node,
     * or -1 when that is not known (nothing read yet on some evictions partition).
     */
    public synchronized long processedThrough(int mutationPartition) {
        if (assigned.isEmpty()) {
            return -1;
        }
        long lowest = Long.MAX_VALUE;
        for (int evictionsPartition : assigned) {
            Map<Integer, Long> byMutationPartition = reported.get(evictionsPartition);
            Long offset = byMutationPartition == null ? null : byMutationPartition.get(mutationPartition);
            if (offset == null) {
                return -1;
            }
            lowest = Math.min(lowest, offset);
        }
        return lowest;
    }

    /** Whether some invalidator recently said it holds Redis work not done yet. */
    public synchronized boolean redisWorkPending() {
        long now = clock.millis();
        redisPendingUntil.values().removeIf(until -> until < now);
        return !redisPendingUntil.isEmpty();
    }
}
