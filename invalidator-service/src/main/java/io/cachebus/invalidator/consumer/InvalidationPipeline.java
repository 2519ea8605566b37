package io.cachebus.invalidator.consumer;

import io.cachebus.invalidator.InvalidatorMeter;
import io.cachebus.events.DomainMutated;
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
 * The Redis work for the decoded events of one batch: coalesce, then invalidate the groups in Redis, as many per
 * round trip as the strategy takes ({@link RedisInvalidator#groupsPerCall()}: one script call per Redis slot for the
 * whole batch with the {@code generation} strategy, ADR 0014). The caller broadcasts what it returns, and only then
 * commits.
 *
 * <p>When Redis cannot take an invalidation (it fails, or its breaker is open), the groups of that round trip and
 * every later one of the batch are not tried in Redis but returned as pending: nodes evict their L1 at once and keep
 * skipping Redis for those scopes. The caller must then hold the batch's offsets back until the Redis work is redone.
 *
 * <p>Round trips are made until the time budget runs out (at least one, so every batch makes progress); the result
 * says how many events, from the start of the list, are covered by what it returns.
 */
public final class InvalidationPipeline {

    private static final Logger log = LoggerFactory.getLogger(InvalidationPipeline.class);

    private final RedisInvalidator invalidator;
    private final int maxEntitiesPerGroup;
    private final DistributionSummary coalescingRatio;

    /**
     * @param maxEntitiesPerGroup how many entities a group of single-entity writes may invalidate one by one instead of
     *                            its whole domain (ADR 0017); 0 for whole domains only
     */
    public InvalidationPipeline(RedisInvalidator invalidator, int maxEntitiesPerGroup, MeterRegistry meters) {
        this.invalidator = invalidator;
        this.maxEntitiesPerGroup = maxEntitiesPerGroup;
        this.coalescingRatio = InvalidatorMeter.COALESCING_RATIO.summary()
                .register(meters);
    }

    /**
     * What a batch's Redis work achieved.
     *
     * @param invalidated   the groups invalidated in Redis, with their new generations
     * @param redisPending  the groups whose Redis work could not be done (to broadcast with {@code redisPending})
     * @param eventsCovered how many events, from the first, belong to those groups
     */
    public record Work(List<InvalidationResult> invalidated, List<InvalidationGroup> redisPending, int eventsCovered) {

        static final Work NONE = new Work(List.of(), List.of(), 0);

        public boolean hasGroups() {
            return !invalidated.isEmpty() || !redisPending.isEmpty();
        }
    }

    /**
     * @param events        the batch's events in record order
     * @param redisUsable   false to leave Redis alone (its breaker is open) and return every group as pending
     * @param deadlineNanos the {@link System#nanoTime()} after which no further round trip is started
     */
    public Work invalidate(List<DomainMutated> events, boolean redisUsable, long deadlineNanos) {
        if (events.isEmpty()) {
            return Work.NONE;
        }
        List<InvalidationGroup> groups = EventCoalescer.coalesce(events, maxEntitiesPerGroup);
        List<InvalidationResult> invalidated = new ArrayList<>(groups.size());
        List<InvalidationGroup> pending = new ArrayList<>();
        boolean redisUp = redisUsable;
        int perCall = invalidator.groupsPerCall();
        int done = 0;
        while (done < groups.size()) {
            if (done > 0 && System.nanoTime() - deadlineNanos > 0) {
                log.warn("batch time budget exhausted groupsDone={} groupsLeft={} action=leaveForNextPoll",
                        done, groups.size() - done);
                break;
            }
            List<InvalidationGroup> call = groups.subList(done, Math.min(groups.size(), done + perCall));
            if (redisUp) {
                try {
                    invalidated.addAll(invalidator.invalidate(call));
                } catch (RuntimeException e) {
                    // Not retried here: the breaker and retry already had their say, and a batch must not spin on a
                    // dead Redis. The rest of the batch goes out as pending too, without touching Redis.
                    log.warn("redis invalidation failed action=broadcastRedisPending groups={} firstPrefix={} "
                            + "cause=\"{}\"", call.size(), call.get(0).prefix(), MutationBatchListener.rootMessage(e));
                    redisUp = false;
                    pending.addAll(call);
                }
            } else {
                pending.addAll(call);
            }
            done += call.size();
        }
        coalescingRatio.record((double) events.size() / groups.size());
        int covered = done == groups.size() ? events.size() : coveredPrefix(events, groups.subList(0, done));
        return new Work(invalidated, pending, covered);
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
