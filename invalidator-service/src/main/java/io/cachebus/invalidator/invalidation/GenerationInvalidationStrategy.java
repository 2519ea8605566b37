package io.cachebus.invalidator.invalidation;

import io.cachebus.invalidator.coalescing.InvalidationGroup;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * The default: bump the group's generation counters and nothing else. Every cache key's hash folds in the
 * current generations of its scopes, so after the bump no reader can reach an old entry; old entries expire by
 * their TTL. One round trip, whatever the size of the keyspace (ADR 0003).
 */
public final class GenerationInvalidationStrategy implements PrefixInvalidationStrategy {

    public static final String NAME = "generation";

    private final GenerationCounters counters;

    public GenerationInvalidationStrategy(GenerationCounters counters) {
        this.counters = counters;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public InvalidationResult invalidate(InvalidationGroup group) {
        long started = System.nanoTime();
        long generation = counters.increment(group);
        return new InvalidationResult(group, NAME, generation, OptionalLong.empty(),
                Duration.ofNanos(System.nanoTime() - started));
    }
}
