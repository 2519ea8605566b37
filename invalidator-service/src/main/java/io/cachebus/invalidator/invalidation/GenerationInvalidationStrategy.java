package io.cachebus.invalidator.invalidation;

import io.cachebus.invalidator.coalescing.InvalidationGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The default: bump the group's generation counters and nothing else. Every cache key's hash folds in the
 * current generations of its scopes, so after the bump no reader can reach an old entry; old entries expire by
 * their TTL. One round trip for up to {@code groupsPerCall} groups, whatever the size of the keyspace (ADR 0003,
 * ADR 0014).
 */
public final class GenerationInvalidationStrategy implements PrefixInvalidationStrategy {

    public static final String NAME = "generation";

    private final GenerationCounters counters;
    private final int groupsPerCall;

    /** @param groupsPerCall how many groups one round trip takes ({@code cachebus.invalidator.redis-batch-groups}) */
    public GenerationInvalidationStrategy(GenerationCounters counters, int groupsPerCall) {
        if (groupsPerCall < 1) {
            throw new IllegalArgumentException("groupsPerCall must be positive");
        }
        this.counters = counters;
        this.groupsPerCall = groupsPerCall;
    }

    /** One group per round trip, as before batches were bumped together. */
    public GenerationInvalidationStrategy(GenerationCounters counters) {
        this(counters, 1);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int groupsPerCall() {
        return groupsPerCall;
    }

    @Override
    public List<InvalidationResult> invalidate(List<InvalidationGroup> groups) {
        long started = System.nanoTime();
        List<Long> generations = counters.incrementAll(groups);
        Duration roundTrip = Duration.ofNanos(System.nanoTime() - started);
        List<InvalidationResult> results = new ArrayList<>(groups.size());
        for (int i = 0; i < groups.size(); i++) {
            results.add(new InvalidationResult(groups.get(i), NAME, generations.get(i), OptionalLong.empty(), roundTrip));
        }
        return results;
    }
}
