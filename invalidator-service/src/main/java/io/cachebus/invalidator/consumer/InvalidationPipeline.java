package io.cachebus.invalidator.consumer;

import io.cachebus.invalidator.InvalidatorMeter;
import io.cachebus.events.DomainMutated;
import io.cachebus.invalidator.broadcast.EvictionBroadcaster;
import io.cachebus.invalidator.coalescing.EventCoalescer;
import io.cachebus.invalidator.coalescing.InvalidationGroup;
import io.cachebus.invalidator.invalidation.InvalidationResult;
import io.cachebus.invalidator.invalidation.RedisInvalidator;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The work for the decoded events of one batch, in the order the contract demands: coalesce, invalidate each group
 * in Redis, and only then broadcast (waiting for the acks).
 *
 * <p>When Redis cannot take an invalidation (it fails, or its breaker is open), the group and every later one of
 * the batch are not tried in Redis but broadcast with {@code redisPending}: nodes evict their L1 at once and keep
 * skipping Redis for those scopes. The caller must then hold the batch's offsets back until the Redis work is redone.
 *
 * <p>The groups are worked through until the time budget runs out (at least one group always, so every batch makes
 * progress); the outcome says how many events, from the start of the list, are covered by what was broadcast.
 * A broadcast failure propagates: nothing of the batch counts as done.
 */
public final class InvalidationPipeline {

    private static final Logger log = LoggerFactory.getLogger(InvalidationPipeline.class);

    private final RedisInvalidator invalidator;
    private final EvictionBroadcaster broadcaster;
    private final DistributionSummary coalescingRatio;

    public InvalidationPipeline(RedisInvalidator invalidator, EvictionBroadcaster broadcaster, MeterRegistry meters) {
        this.invalidator = invalidator;
        this.broadcaster = broadcaster;
        this.coalescingRatio = InvalidatorMeter.COALESCING_RATIO.summary()
                .register(meters);
    }

    /**
     * What a batch's work achieved.
     *
     * @param eventsCovered how many events, from the first, are invalidated (or pending) and broadcast
     * @param redisPending  whether some of them were broadcast with their Redis work pending
     */
    public record Outcome(int eventsCovered, boolean redisPending) {
    }

    /**
     * @param events        the batch's events in record order
     * @param redisUsable   false to leave Redis alone (its breaker is open) and broadcast every group as pending
     * @param deadlineNanos the {@link System#nanoTime()} after which no further group is started
     * @param beforePendingBroadcast run before any broadcast with pending Redis work is sent, so that progress
     *                               heartbeats produced after such a broadcast already say Redis work is pending
     */
    public Outcome process(List<DomainMutated> events, boolean redisUsable, long deadlineNanos,
                           Runnable beforePendingBroadcast) {
        if (events.isEmpty()) {
            return new Outcome(0, false);
        }
        List<InvalidationGroup> groups = EventCoalescer.coalesce(events);
        List<InvalidationResult> invalidations = new ArrayList<>(groups.size());
        List<InvalidationGroup> pending = new ArrayList<>();
        boolean redisUp = redisUsable;
        int done = 0;
        for (InvalidationGroup group : groups) {
            if (done > 0 && System.nanoTime() - deadlineNanos > 0) {
                log.warn("batch time budget exhausted groupsDone={} groupsLeft={} action=leaveForNextPoll",
                        done, groups.size() - done);
                break;
            }
            if (redisUp) {
                try {
                    invalidations.add(invalidator.invalidate(group));
                } catch (RuntimeException e) {
                    // Not retried here: the breaker and retry already had their say, and a batch must not spin on a
                    // dead Redis. The rest of the batch goes out as pending too, without touching Redis.
                    log.warn("redis invalidation failed action=broadcastRedisPending prefix={} cause=\"{}\"",
                            group.prefix(), MutationBatchListener.rootMessage(e));
                    redisUp = false;
                    pending.add(group);
                }
            } else {
                pending.add(group);
            }
            done++;
        }
        if (!pending.isEmpty()) {
            beforePendingBroadcast.run();
        }
        broadcaster.broadcast(invalidations, pending);
        coalescingRatio.record((double) events.size() / groups.size());
        int covered = done == groups.size() ? events.size() : coveredPrefix(events, groups.subList(0, done));
        return new Outcome(covered, !pending.isEmpty());
    }

    /**
     * Groups come in the order of their first event, so the events before the first one of an unfinished group all
     * belong to finished groups.
     */
    private static int coveredPrefix(List<DomainMutated> events, List<InvalidationGroup> finished) {
        Set<UUID> done = new HashSet<>();
        finished.forEach(group -> done.addAll(group.eventIds()));
        int covered = 0;
        while (covered < events.size() && done.contains(events.get(covered).eventId())) {
            covered++;
        }
        return covered;
    }
}
