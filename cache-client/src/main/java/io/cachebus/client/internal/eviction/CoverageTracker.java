package io.cachebus.client.internal.eviction;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.cachebus.events.InvalidationProgress.PartitionProgress;
import java.util.ArrayList;
import java.util.List;

/**
 * Per evictions partition and mutation partition, the highest {@code processedThrough} this node has read there since
 * its subscription was assigned (ADR 0016). A report that vouches for an acknowledged one beyond it shows that this
 * node skipped records of the evictions partition: the acknowledged report was in the partition before it, and this
 * node did not read it. A pair the node has read nothing of yet is taken as it comes, since everything before the
 * node's start is covered by the drop at assignment; a report below what was read is an overlap (a new holder of the
 * mutation partition, a redo) and fine. Bounded: a forgotten pair starts over, which can hide a gap but never invent one.
 */
final class CoverageTracker {

    /** Records of {@code evictionsPartition} were skipped: the report vouching for {@code acknowledgedThrough} was. */
    record Gap(int evictionsPartition, int mutationPartition, long readThrough, long acknowledgedThrough) {
    }

    /** (evictions partition, mutation partition) packed into one key -> the highest processedThrough read */
    private final Cache<Long, Long> highest;

    CoverageTracker(long maxTrackedPairs) {
        this.highest = Caffeine.newBuilder().maximumSize(maxTrackedPairs).build();
    }

    /** Takes a report read on {@code evictionsPartition}; returns the gaps it shows (none, normally). */
    List<Gap> read(int evictionsPartition, List<PartitionProgress> partitions) {
        List<Gap> gaps = new ArrayList<>(0);
        for (PartitionProgress claim : partitions) {
            highest.asMap().compute(key(evictionsPartition, claim.partition()), (key, read) -> {
                if (read == null) {
                    return claim.processedThrough();
                }
                if (claim.acknowledgedThrough() > read) {
                    gaps.add(new Gap(evictionsPartition, claim.partition(), read, claim.acknowledgedThrough()));
                }
                return Math.max(read, claim.processedThrough());
            });
        }
        return gaps;
    }

    void forgetAll() {
        highest.invalidateAll();
    }

    /** How many pairs are tracked once pending evictions have run; never more than the configured maximum. */
    long trackedPairs() {
        highest.cleanUp();
        return highest.estimatedSize();
    }

    private static long key(int evictionsPartition, int mutationPartition) {
        return ((long) evictionsPartition << 32) | (mutationPartition & 0xFFFFFFFFL);
    }
}
