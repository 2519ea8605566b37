package io.cachebus.client.internal.tiered;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cachebus.client.CacheKey;
import io.cachebus.client.Tier;
import io.cachebus.client.testsupport.Node;
import io.cachebus.client.testsupport.Read;
import io.cachebus.client.testsupport.Workflow;
import io.cachebus.local.junit.RedisServerExtension;
import io.cachebus.local.redis.RedisServer;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.IndicatedHealthDescriptor;
import org.springframework.boot.health.contributor.Health;

/**
 * Invariant 5 on the read path: Redis killed or frozen, every read still returns the loader's value, in bounded
 * time, through the in-memory fallback; the breaker opens and health shows it; Redis back, L2 is Redis again.
 * L1 is off here so every read reaches L2 and the tier that answered is visible.
 */
@ExtendWith(RedisServerExtension.class)
class RedisOutageTest {

    private static RedisServer redis;
    private static Node node;

    @BeforeAll
    static void startNode(RedisServer server) {
        redis = server;
        node = Node.named("outage").redis(server)
                .property("cachebus.l1.max-size", 0)
                .property("cachebus.l2.redis-timeout", "100ms")
                .property("cachebus.l2.breaker.wait-duration-in-open-state", "500ms")
                .property("management.endpoint.health.show-details", "always")
                .start();
    }

    @AfterAll
    static void stopNode() {
        node.close();
    }

    @BeforeEach
    @AfterEach
    void redisRunningAndBreakerClosed() {
        if (!redis.isRunning()) {
            redis.restart();
        }
        redis.unpause();
        node.redisBreaker().reset();
    }

    @Test
    void redisKilledMidTestEveryReadStillAnswersFromTheFallbackAndTheBreakerShowsIt() {
        CacheKey before = key();
        assertThat(read(before, "v0").tier()).isEqualTo(Tier.LOADER);
        assertThat(read(before, "v0").tier()).isEqualTo(Tier.L2_REDIS);

        redis.kill();
        for (int i = 0; i < 30; i++) {
            CacheKey key = key();
            assertThat(read(key, "v" + i).value()).isEqualTo(Workflow.named("v" + i));
        }

        assertThat(node.redisBreaker().getState()).isIn(CircuitBreaker.State.OPEN, CircuitBreaker.State.HALF_OPEN);
        CacheKey duringOutage = key();
        assertThat(read(duringOutage, "x").tier()).isEqualTo(Tier.LOADER);
        assertThat(read(duringOutage, "x")).isEqualTo(new Read<>(Workflow.named("x"), Tier.L2_FALLBACK));
        assertThat(node.count("cachebus.cache.fallbacks", "domain", "workflows")).isPositive();
        Health health = node.cachebusHealth();
        assertThat(health.getDetails()).containsEntry("l2", "fallback").containsEntry("degraded", true)
                .containsKey("redisBreaker");
        HealthDescriptor endpoint = node.bean(HealthEndpoint.class).healthForPath("cachebus");
        assertThat(endpoint).as("visible through the actuator health endpoint")
                .isInstanceOfSatisfying(IndicatedHealthDescriptor.class, indicated ->
                        assertThat(indicated.getDetails().get("redisBreaker")).isIn("OPEN", "HALF_OPEN"));
        assertThat(node.meters().find("resilience4j.circuitbreaker.state").tag("name", "cachebus-redis").gauges())
                .as("breaker state exported as a metric").isNotEmpty();

        redis.restart();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            read(key(), "probe");
            return node.redisBreaker().getState() == CircuitBreaker.State.CLOSED;
        });
        CacheKey after = key();
        assertThat(read(after, "back").tier()).isEqualTo(Tier.LOADER);
        assertThat(read(after, "back")).isEqualTo(new Read<>(Workflow.named("back"), Tier.L2_REDIS));
        assertThat(node.cachebusHealth().getDetails()).containsEntry("l2", "redis").containsEntry("degraded", false);
    }

    @Test
    void aFrozenRedisCostsAReadAtMostItsTimeLimit() {
        CacheKey warm = key();
        read(warm, "warm");

        redis.pause();
        try {
            for (int i = 0; i < 15; i++) {
                CacheKey key = key();
                long started = System.nanoTime();
                Read<Workflow> answer = read(key, "frozen" + i);
                Duration took = Duration.ofNanos(System.nanoTime() - started);

                assertThat(answer.value()).isEqualTo(Workflow.named("frozen" + i));
                // the limit is 100 ms per Redis command (at most two before the loader runs); a generous bound
                // for a shared machine, still far below Lettuce's own 60 s default
                assertThat(took).isLessThan(Duration.ofSeconds(3));
            }
            assertThat(node.redisBreaker().getState()).isNotEqualTo(CircuitBreaker.State.CLOSED);
        } finally {
            redis.unpause();
        }
    }

    private static Read<Workflow> read(CacheKey key, String name) {
        return node.read(key, Workflow.class, () -> Workflow.named(name));
    }

    private static CacheKey key() {
        return CacheKey.of("t1", "workflows").resource("/api/workflows/" + UUID.randomUUID()).build();
    }
}
