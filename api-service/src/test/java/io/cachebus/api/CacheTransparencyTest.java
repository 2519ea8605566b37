package io.cachebus.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.api.testing.ApiIntegrationTest;
import io.cachebus.api.testing.ApiNode;
import io.cachebus.api.testing.TestTokens;
import io.cachebus.client.Tier;
import io.cachebus.local.junit.LocalKafkaExtension;
import io.cachebus.local.junit.RedisServerExtension;
import io.cachebus.testfixtures.api.ApiClient;
import io.cachebus.testfixtures.api.ApiResponse;
import io.cachebus.testfixtures.api.Json;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;

/**
 * A cached response is byte for byte the uncached one (invariant 7). Three nodes on one database and one Redis:
 * this test's node answers from L1, a node without L1 answers from Redis (the JSON round trip), and a node with
 * every cache tier turned off answers from the database; every body and status is the same.
 */
class CacheTransparencyTest extends ApiIntegrationTest {

    @Autowired
    private Environment environment;

    @Test
    void responsesAreIdenticalFromL1FromRedisAndWithTheCacheOff() {
        String tenant = TestTokens.newTenant();
        ApiClient cached = client(tenant);
        long workflow = cached.post("/api/workflows", Json.workflow("Quarterly report", "ACTIVE", "ünïcödé & <tags>",
                List.of(Json.step("gather", "sql.select"), Json.step("render", "pdf.render")))).id();
        cached.post("/api/workflows", Json.workflow("draft", null, null, List.of()));
        long notification = cached.post("/api/notifications", Json.object("title", "read me", "message", null)).id();
        cached.post("/api/notifications", Json.object("title", "unread"));
        cached.patch("/api/notifications/" + notification, Json.object("read", true));
        List<String> paths = List.of(
                "/api/workflows", "/api/workflows?status=ACTIVE&name=report", "/api/workflows?page=1&size=1",
                "/api/workflows/" + workflow, "/api/workflows/" + workflow + "/steps", "/api/workflows/987654321",
                "/api/notifications", "/api/notifications?unread=true", "/api/notifications/" + notification,
                "/api/notifications/unread-count");

        try (ApiNode redisOnly = ApiNode.start(sharedInfrastructure(Map.of("cachebus.l1.max-size", 0)));
                ApiNode uncached = ApiNode.start(sharedInfrastructure(Map.of("cachebus.l1.max-size", 0,
                        "cachebus.l2.enabled", false, "cachebus.fallback.max-size", 0)))) {
            for (String path : paths) {
                ApiResponse fromL1 = twice(cached, path);
                ApiResponse fromRedis = twice(redisOnly.client(tenant), path);
                ApiResponse fromDatabase = uncached.client(tenant).get(path);

                assertThat(fromRedis.status()).as("%s", fromRedis).isEqualTo(fromL1.status());
                assertThat(fromDatabase.status()).as("%s", fromDatabase).isEqualTo(fromL1.status());
                assertThat(fromRedis.contentType()).isEqualTo(fromL1.contentType());
                assertThat(fromDatabase.contentType()).isEqualTo(fromL1.contentType());
                assertThat(fromRedis.body()).as("GET %s from Redis", path).isEqualTo(fromL1.body());
                assertThat(fromDatabase.body()).as("GET %s uncached", path).isEqualTo(fromL1.body());
                if (fromL1.status() == 200) {
                    String resource = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
                    assertThat(lastTier(tenant, resource)).as("this node, GET %s", path).isEqualTo(Tier.L1);
                    List<Tier> redisTiers = redisOnly.cacheEvents().tiers(tenant, resource);
                    assertThat(redisTiers.get(redisTiers.size() - 1)).as("L1-less node, GET %s", path)
                            .isEqualTo(Tier.L2_REDIS);
                    assertThat(uncached.cacheEvents().tiers(tenant, resource)).as("uncached node, GET %s", path)
                            .containsOnly(Tier.LOADER);
                }
            }
        }
    }

    private static ApiResponse twice(ApiClient api, String path) {
        api.get(path);
        return api.get(path);
    }

    /** Another node on this test's database, Redis and Kafka. */
    private Map<String, Object> sharedInfrastructure(Map<String, Object> cacheSettings) {
        Map<String, Object> properties = new HashMap<>(cacheSettings);
        properties.put("spring.datasource.url", environment.getRequiredProperty("spring.datasource.url"));
        properties.put("spring.data.redis.port", System.getProperty(RedisServerExtension.PORT_PROPERTY));
        properties.put("spring.kafka.bootstrap-servers", System.getProperty(LocalKafkaExtension.BOOTSTRAP_PROPERTY));
        return properties;
    }
}
