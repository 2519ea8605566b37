package io.cachebus.loadtest.liveview;

import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * One node followed through the live view's samples: the view counts from its first sample, rates come from the
 * last two, and the delay of the evictions applied between two samples is the growth of the node's propagation timer
 * (its total over its count: exact for one broadcast, their mean for several).
 */
final class NodeActivity {

    private final String node;
    private NodeSample first;
    private NodeSample last;
    private long lastAtNanos;
    private boolean answering;
    private double requestsPerSecond;
    private OptionalDouble lastEvictionMillis = OptionalDouble.empty();

    NodeActivity(String node) {
        this.node = node;
    }

    String node() {
        return node;
    }

    /** Eviction broadcasts a node applied between two samples, and their mean delay from commit to applied. */
    record Applied(long broadcasts, double meanMillis) {
    }

    /**
     * Takes the sample taken at {@code atNanos} ({@link System#nanoTime()}), or the node's silence; returns the
     * broadcasts the node applied since the previous sample, empty when it applied none.
     */
    Optional<Applied> record(Optional<NodeSample> taken, long atNanos) {
        answering = taken.isPresent();
        if (taken.isEmpty()) {
            requestsPerSecond = 0;
            return Optional.empty();
        }
        NodeSample sample = taken.get();
        if (last == null || sample.requests() < last.requests() || sample.propagationCount() < last.propagationCount()) {
            // the first sample, or the node restarted and its counters with it: count from here
            first = sample;
            last = sample;
            lastAtNanos = atNanos;
            requestsPerSecond = 0;
            return Optional.empty();
        }
        double seconds = (atNanos - lastAtNanos) / 1e9;
        requestsPerSecond = seconds > 0 ? (sample.requests() - last.requests()) / seconds : 0;
        long broadcasts = Math.round(sample.propagationCount() - last.propagationCount());
        Optional<Applied> applied = Optional.empty();
        if (broadcasts > 0) {
            double meanMillis = (sample.propagationSeconds() - last.propagationSeconds()) / broadcasts * 1000;
            applied = Optional.of(new Applied(broadcasts, meanMillis));
            lastEvictionMillis = OptionalDouble.of(meanMillis);
        }
        last = sample;
        lastAtNanos = atNanos;
        return applied;
    }

    /** The row as of the last sample; a node never heard from shows zeros and no states. */
    NodeRow row() {
        if (last == null) {
            return new NodeRow(node, false, 0, 0, 0, 0, OptionalDouble.empty(), OptionalLong.empty(), 0,
                    OptionalDouble.empty(), Optional.empty(), 0);
        }
        long l1Hits = Math.round(last.l1Hits() - first.l1Hits());
        long l2Hits = Math.round(last.l2Hits() - first.l2Hits());
        long misses = Math.round(last.misses() - first.misses());
        long reads = l1Hits + l2Hits + misses;
        OptionalDouble hitRatio = reads > 0 ? OptionalDouble.of((double) (l1Hits + l2Hits) / reads)
                : OptionalDouble.empty();
        OptionalLong l1Size = last.l1Size().map(size -> OptionalLong.of(Math.round(size))).orElse(OptionalLong.empty());
        return new NodeRow(node, answering, requestsPerSecond, l1Hits, l2Hits, misses, hitRatio, l1Size,
                Math.round(last.evictionsApplied() - first.evictionsApplied()), lastEvictionMillis,
                last.redisBreaker(), Math.round(last.subscriptionAssignments()));
    }
}
