package io.cachebus.loadtest.invalidation;

import io.cachebus.local.redis.RedisServer;

/** Makes the two strategies to compare, bound to the benchmark's own redis-server. */
@FunctionalInterface
public interface PrefixStrategies {

    /** The {@code scan} strategy and the default strategy on {@code redis}; closing releases their connections. */
    Bound on(RedisServer redis);

    /** The strategies, connected. */
    interface Bound extends AutoCloseable {

        PrefixStrategy scan();

        PrefixStrategy defaultStrategy();

        @Override
        void close();
    }
}
