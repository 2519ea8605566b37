package io.cachebus.invalidator.invalidation;

import io.cachebus.invalidator.coalescing.InvalidationGroup;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * What one invalidation did in Redis.
 *
 * @param group       the coalesced events it covered
 * @param strategy    the strategy's name
 * @param generation  the new value of the domain's generation counter (of the domain's collections counter for a
 *                    group of single-entity writes, ADR 0017), sent to API nodes in the broadcast
 * @param keysRemoved how many entries were deleted, for strategies that delete (empty for {@code generation},
 *                    whose old entries simply expire)
 * @param duration    the time spent talking to Redis
 */
public record InvalidationResult(
        InvalidationGroup group, String strategy, long generation, OptionalLong keysRemoved, Duration duration) {

    public InvalidationResult {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(keysRemoved, "keysRemoved");
        Objects.requireNonNull(duration, "duration");
    }
}
