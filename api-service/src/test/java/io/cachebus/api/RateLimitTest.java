package io.cachebus.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.api.security.LocalTokens;
import io.cachebus.api.testing.ApiIntegrationTest;
import io.cachebus.api.testing.ApiNode;
import io.cachebus.api.testing.TestTokens;
import io.cachebus.local.FreePorts;
import io.cachebus.local.junit.LocalKafkaExtension;
import io.cachebus.local.kafka.KafkaBroker;
import io.cachebus.testfixtures.api.ApiClient;
import io.cachebus.testfixtures.api.ApiResponse;
import java.time.Duration;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A tenant and a token each get so many requests per period on a node; past that a request is answered 429 with a
 * problem body and {@code Retry-After}, and other tenants are not affected. Small limits and a long period here, so
 * that the test does not race the refill.
 */
@ExtendWith(LocalKafkaExtension.class)
class RateLimitTest {

    private static final int PER_TOKEN = 3;
    private static final int PER_TENANT = 5;

    private static ApiNode node;

    @BeforeAll
    static void startNode(KafkaBroker kafka) {
        node = ApiNode.start(Map.of(
                "spring.datasource.url", ApiIntegrationTest.freshH2Url(),
                "spring.kafka.bootstrap-servers", kafka.bootstrapServers(),
                "spring.data.redis.port", FreePorts.next(),
                "cachebus.api.rate-limit.per-token", PER_TOKEN,
                "cachebus.api.rate-limit.per-tenant", PER_TENANT,
                "cachebus.api.rate-limit.period", "10m"));
    }

    @AfterAll
    static void stopNode() {
        node.close();
    }

    @Test
    void aTokenAndThenItsTenantRunOutOfRequestsAndAreToldWhenToRetryOtherTenantsAreNotAffected() {
        String tenant = TestTokens.newTenant();
        ApiClient first = client(tenant, "first-user");
        ApiClient second = client(tenant, "second-user");

        IntStream.range(0, PER_TOKEN).forEach(i -> assertThat(first.get("/api/workflows").status()).isEqualTo(200));
        assertLimited(first.get("/api/workflows"), "token");

        IntStream.range(PER_TOKEN, PER_TENANT)
                .forEach(i -> assertThat(second.get("/api/workflows").status()).isEqualTo(200));
        assertLimited(second.get("/api/workflows"), "tenant");
        assertLimited(client(tenant, "third-user").post("/api/notifications", "{\"title\": \"t\"}"), "tenant");

        assertThat(client(TestTokens.newTenant(), "other-user").get("/api/workflows").status()).isEqualTo(200);
        assertThat(new ApiClient(node.port(), null).get("/api/workflows").status())
                .as("no token: refused by authentication, not counted").isEqualTo(401);
    }

    private static void assertLimited(ApiResponse response, String limit) {
        assertThat(response.status()).as("%s", response).isEqualTo(429);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("status").asInt()).isEqualTo(429);
        assertThat(response.json().get("limit").asString()).isEqualTo(limit);
        assertThat(response.headers().firstValue("Retry-After")).hasValueSatisfying(seconds ->
                assertThat(Long.parseLong(seconds)).isBetween(1L, Duration.ofMinutes(10).toSeconds()));
    }

    private static ApiClient client(String tenant, String subject) {
        return new ApiClient(node.port(), LocalTokens.mint(TestTokens.SECRET, tenant, Duration.ofMinutes(30), subject));
    }
}
