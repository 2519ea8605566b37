package io.cachebus.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cachebus.api.jdbc.Timestamps;
import io.cachebus.api.notifications.store.NotificationRepository;
import io.cachebus.api.testing.ApiIntegrationTest;
import io.cachebus.api.testing.Scenario;
import io.cachebus.api.testing.TestTokens;
import io.cachebus.api.workflows.WorkflowRequest.WorkflowStepRequest;
import io.cachebus.api.workflows.WorkflowStatus;
import io.cachebus.api.workflows.store.WorkflowRepository;
import io.cachebus.client.Tier;
import io.cachebus.local.redis.RedisServer;
import io.cachebus.testfixtures.api.ApiClient;
import io.cachebus.testfixtures.api.ApiResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Redis dies in the middle of a run: every request still succeeds with the same status and body shape as in a
 * run with Redis up (reads fall back to memory and the database), health stays UP, and Redis is used again once
 * it is back.
 *
 * <p>Reads right after this node's own writes skip L2 (read-your-writes, until the invalidator's broadcast), so
 * each run also reads a tenant whose rows were put in the database directly: those reads go through Redis.
 */
class RedisOutageTest extends ApiIntegrationTest {

    private static final int KILL_BEFORE_STEP = 6;

    @Autowired
    private WorkflowRepository workflows;

    @Autowired
    private NotificationRepository notifications;

    @Test
    void requestsDoNotNoticeRedisDying(RedisServer redis) {
        List<String> healthy = new ArrayList<>(Scenario.outline(Scenario.run(client(TestTokens.newTenant()), step -> {
        })));
        healthy.addAll(readSeededTenant(TestTokens.newTenant()));
        assertThat(redis.dbSize()).as("entries and generation counters in Redis while it is up").isPositive();

        String writer = TestTokens.newTenant();
        List<String> outage = new ArrayList<>(Scenario.outline(Scenario.run(client(writer), step -> {
            if (step == KILL_BEFORE_STEP) {
                redis.kill();
            }
        })));
        String reader = TestTokens.newTenant();
        outage.addAll(readSeededTenant(reader));

        assertThat(outage).isEqualTo(healthy);
        for (String tenant : List.of(writer, reader)) {
            assertThat(cacheEvents.tiers(tenant)).as("tiers that answered %s", tenant)
                    .isNotEmpty().doesNotContain(Tier.L2_REDIS);
        }
        ApiResponse health = anonymous().get("/actuator/health");
        assertThat(health.status()).as("%s", health).isEqualTo(200);
        assertThat(health.json().get("status").asString()).isEqualTo("UP");

        redis.restart();
        await("Redis is the cache again").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    readSeededTenant(TestTokens.newTenant());
                    return redis.dbSize() > 0;
                });
    }

    /** Puts a workflow and a notification straight into the database, then GETs every read endpoint twice. */
    private List<String> readSeededTenant(String tenant) {
        long workflow = workflows.insert(tenant, "seeded", WorkflowStatus.ACTIVE, null, Timestamps.now());
        workflows.replaceSteps(tenant, workflow, List.of(new WorkflowStepRequest("s", "a")));
        long notification = notifications.insert(tenant, "seeded", null, Timestamps.now());
        ApiClient api = client(tenant);
        List<ApiResponse> responses = new ArrayList<>();
        for (String path : List.of("/api/workflows", "/api/workflows/" + workflow, "/api/workflows/" + workflow + "/steps",
                "/api/notifications", "/api/notifications/" + notification, "/api/notifications/unread-count")) {
            responses.add(api.get(path));
            responses.add(api.get(path));
        }
        return responses.stream().map(r -> "GET " + r.path().replaceAll("/\\d+", "/{id}") + " -> " + r.status() + " "
                + Scenario.shape(r.json())).toList();
    }
}
