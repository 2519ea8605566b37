package io.cachebus.loadtest.liveview;

import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * One node's row of the live view. Counts are since the view started; states are as of the last sample.
 *
 * @param answering               whether the node answered the last scrape (when not, the figures are the last known)
 * @param requestsPerSecond       API requests per second between the last two samples
 * @param hitRatio                L1 and L2 hits over all reads; empty before the first read
 * @param lastEvictionMillis      the delay of the last eviction applied, commit to applied on this node; empty
 *                                before the first
 * @param redisBreaker            the Redis breaker's state; empty when the node has none
 * @param subscriptionAssignments how often the eviction subscription was assigned since the node started (0: not yet)
 */
public record NodeRow(String node, boolean answering, double requestsPerSecond, long l1Hits, long l2Hits,
        long misses, OptionalDouble hitRatio, OptionalLong l1Size, long evictionsApplied,
        OptionalDouble lastEvictionMillis, Optional<String> redisBreaker, long subscriptionAssignments) {
}
