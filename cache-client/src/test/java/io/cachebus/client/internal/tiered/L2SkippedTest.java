package io.cachebus.client.internal.tiered;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.cachebus.client.CacheKey;
import io.cachebus.client.internal.consistency.ConsistencySampler;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * A read that misses L1 and leaves Redis out says why in {@code cachebus.cache.l2.skipped}: the writer's own write not
 * yet invalidated (read-your-writes, to the loader) or an invalidation Redis missed in an outage (to the fallback).
 * Neither asks Redis, so the Redis here is a port nothing listens on: any call would fail the read over to the
 * fallback and count a fallback instead.
 */
class L2SkippedTest {

    private static final CacheKey ITEM = CacheKey.of("t1", "workflows").entity("42").resource("/api/workflows/42")
            .build();

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final LocalInvalidation local = new LocalInvalidation(new LocalGenerations(100),
            new FallbackStore(100, Duration.ofMinutes(5)));
    private final ReadYourWrites readYourWrites = new ReadYourWrites(Duration.ofSeconds(30));
    private final RedisPendingScopes redisPending = new RedisPendingScopes(100, Duration.ofMinutes(1),
            Clock.systemUTC(), () -> true);

    private final LettuceConnectionFactory nowhere = new LettuceConnectionFactory("127.0.0.1", 1);

    @AfterEach
    void closeClient() {
        nowhere.destroy();
    }

    private DefaultTieredCache cache() {
        nowhere.afterPropertiesSet();
        KnownRedisGenerations known = new KnownRedisGenerations(100, Duration.ofMinutes(5));
        RedisEntryStore redis = new RedisEntryStore(new StringRedisTemplate(nowhere), CircuitBreaker.ofDefaults("l2"),
                known, Duration.ofMinutes(10), Duration.ofHours(24));
        return new DefaultTieredCache(Caffeine.newBuilder().maximumSize(100).build(), local, redis, known,
                readYourWrites, new ValueCodec(JsonMapper.builder().build()),
                new CacheInstrumentation(registry, List.of()),
                new ReadGuards(scopes -> true, redisPending, null, ConsistencySampler.off(), Duration.ofSeconds(3)));
    }

    private double skipped(String reason) {
        Counter counter = registry.find("cachebus.cache.l2.skipped").tags("domain", "workflows", "reason", reason)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private double fallbacks() {
        Counter counter = registry.find("cachebus.cache.fallbacks").counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void theWritersOwnReadBeforeItsInvalidationIsBackIsCountedAsReadYourWrites() {
        DefaultTieredCache cache = cache();
        List<Scope> written = Scope.of(ITEM).subList(1, 2);
        readYourWrites.markPending(UUID.randomUUID(), written);
        written.forEach(local.generations()::bump);

        assertThat(cache.get(ITEM, String.class, () -> "after the write")).isEqualTo("after the write");

        assertThat(skipped("read-your-writes")).isEqualTo(1);
        assertThat(skipped("redis-pending")).isZero();
        assertThat(fallbacks()).as("Redis was not asked").isZero();
    }

    @Test
    void aScopeRedisMissedAnInvalidationOfIsCountedAsRedisPendingAndReadFromTheFallback() {
        DefaultTieredCache cache = cache();
        redisPending.markPending(Scope.of(ITEM));

        assertThat(cache.get(ITEM, String.class, () -> "loaded")).isEqualTo("loaded");

        assertThat(skipped("redis-pending")).isEqualTo(1);
        assertThat(skipped("read-your-writes")).isZero();
        assertThat(fallbacks()).as("Redis was not asked").isZero();
    }
}
