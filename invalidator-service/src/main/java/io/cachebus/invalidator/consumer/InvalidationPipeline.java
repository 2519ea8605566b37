package io.cachebus.invalidator.consumer;

import io.cachebus.events.DomainMutated;
import io.cachebus.invalidator.broadcast.EvictionBroadcaster;
import io.cachebus.invalidator.coalescing.EventCoalescer;
import io.cachebus.invalidator.coalescing.InvalidationGroup;
import io.cachebus.invalidator.invalidation.InvalidationResult;
import io.cachebus.invalidator.invalidation.RedisInvalidator;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;

/**
 * The work for the decoded events of one batch, in the order the contract demands: coalesce, invalidate every
 * group in Redis, and only then broadcast (waiting for the acks). It returns normally only when all of it is
 * done, which is when the container may commit the batch's offsets. Any failure propagates, nothing is skipped.
 */
public final class InvalidationPipeline {

    private final RedisInvalidator invalidator;
    private final EvictionBroadcaster broadcaster;
    private final DistributionSummary coalescingRatio;

    public InvalidationPipeline(RedisInvalidator invalidator, EvictionBroadcaster broadcaster, MeterRegistry meters) {
        this.invalidator = invalidator;
        this.broadcaster = broadcaster;
        this.coalescingRatio = DistributionSummary.builder("cachebus.invalidator.coalescing.ratio")
                .description("Events per Redis invalidation in a batch")
                .register(meters);
    }

    public void process(List<DomainMutated> events) {
        if (events.isEmpty()) {
            return;
        }
        List<InvalidationGroup> groups = EventCoalescer.coalesce(events);
        List<InvalidationResult> invalidations = new ArrayList<>(groups.size());
        for (InvalidationGroup group : groups) {
            invalidations.add(invalidator.invalidate(group));
        }
        broadcaster.broadcast(invalidations);
        coalescingRatio.record((double) events.size() / groups.size());
    }
}
