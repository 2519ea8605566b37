package io.cachebus.client.internal.tiered;

import io.cachebus.events.CacheKeys;
import io.cachebus.local.junit.RedisServerExtension;
import io.cachebus.local.redis.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** The read path on a real standalone redis-server, with two nodes sharing it. */
@ExtendWith(RedisServerExtension.class)
class TieredCacheTest extends TieredCacheContract {

    private RedisServer redis;

    @BeforeAll
    void startNodes(RedisServer server) {
        redis = server;
        startNodes(node -> node.redis(server));
    }

    @Override
    long incr(String key) {
        return Long.parseLong(redis.text("INCR", key));
    }

    @Override
    List<String> keysInRedisUnder(String prefix) {
        try (RedisClient client = RedisClient.create(redis.uri());
             StatefulRedisConnection<String, String> connection = client.connect()) {
            return connection.sync().keys(CacheKeys.scanPattern(prefix));
        }
    }

    @Override
    String valueInRedis(String key) {
        return redis.text("GET", key);
    }
}
