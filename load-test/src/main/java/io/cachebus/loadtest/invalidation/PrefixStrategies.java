package io.cachebus.loadtest.invalidation;

import io.cachebus.local.redis.RedisServer;
import java.util.List;

/**
 * Makes the strategies to compare, bound to the benchmark's own redis-server: the {@code scan} strategy first,
 * then the default one.
 */
@FunctionalInterface
public interface PrefixStrategies {

    /** The {@code scan} strategy and the default strategy, in that order, on {@code redis}. */
    List<PrefixStrategy> on(RedisServer redis);
}
