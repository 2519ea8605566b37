package io.cachebus.invalidator.invalidation;

import io.cachebus.local.junit.RedisServerExtension;
import io.cachebus.local.redis.RedisServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/** Both strategies against a real standalone redis-server. */
@ExtendWith(RedisServerExtension.class)
class InvalidationStrategiesTest extends InvalidationStrategiesContract {

    private static RedisServer server;

    @BeforeAll
    static void server(RedisServer redisServer) {
        server = redisServer;
    }

    @Override
    LettuceConnectionFactory newConnectionFactory() {
        return new LettuceConnectionFactory(new RedisStandaloneConfiguration(server.host(), server.port()));
    }
}
