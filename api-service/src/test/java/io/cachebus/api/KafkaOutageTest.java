package io.cachebus.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cachebus.api.testing.ApiIntegrationTest;
import io.cachebus.api.testing.ApiNode;
import io.cachebus.api.testing.MutationEvents;
import io.cachebus.api.testing.TestTokens;
import io.cachebus.events.DomainMutated;
import io.cachebus.events.Operation;
import io.cachebus.local.junit.RedisServerExtension;
import io.cachebus.local.kafka.KafkaBroker;
import io.cachebus.local.redis.RedisServer;
import io.cachebus.testfixtures.api.ApiClient;
import io.cachebus.testfixtures.api.ApiResponse;
import io.cachebus.testfixtures.api.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Kafka is down (a broker of this test's own, not the shared one): every write still succeeds and reads on the
 * node see it at once; its DomainMutated waits in the outbox and arrives, in order and without gaps, once Kafka
 * is back.
 */
@ExtendWith(RedisServerExtension.class)
class KafkaOutageTest {

    private static KafkaBroker kafka;

    @BeforeAll
    static void startKafka() {
        kafka = KafkaBroker.start();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @Test
    void writesSucceedDuringTheOutageAndTheirEventsArriveAfterIt(RedisServer redis) throws Exception {
        try (ApiNode node = ApiNode.start(Map.of(
                "spring.kafka.bootstrap-servers", kafka.bootstrapServers(),
                "spring.data.redis.port", redis.port(),
                "spring.datasource.url", ApiIntegrationTest.freshH2Url()));
                MutationEvents mutations = new MutationEvents(kafka.bootstrapServers())) {
            String tenant = TestTokens.newTenant();
            ApiClient api = node.client(tenant);
            long before = api.post("/api/workflows", Json.workflow("before", null, null, List.of())).id();
            mutations.awaitEvent("the write before the outage", e -> e.tenant().equals(tenant));

            kafka.stop();
            List<ApiResponse> writes = new ArrayList<>();
            ApiResponse workflow = api.post("/api/workflows", Json.workflow("during", null, null,
                    List.of(Json.step("s", "a"))));
            writes.add(workflow);
            String path = "/api/workflows/" + workflow.id();
            writes.add(api.put(path, Json.workflow("during-2", "ACTIVE", null, List.of())));
            writes.add(api.patch(path, Json.object("description", "patched while Kafka was down")));
            ApiResponse notification = api.post("/api/notifications", Json.object("title", "during"));
            writes.add(notification);
            writes.add(api.patch("/api/notifications/" + notification.id(), Json.object("read", true)));
            writes.add(api.patch("/api/notifications", Json.object("all", true)));
            writes.add(api.delete("/api/notifications/" + notification.id()));
            writes.add(api.delete("/api/workflows/" + before));

            assertThat(writes).allSatisfy(w -> assertThat(w.status()).as("%s", w).isBetween(200, 204));
            assertThat(api.get(path).json().get("description").asString()).isEqualTo("patched while Kafka was down");
            assertThat(api.get("/api/notifications/unread-count").json().get("unread").asLong()).isZero();
            JdbcClient jdbc = node.bean(JdbcClient.class);
            assertThat(unsent(jdbc, tenant)).as("events waiting in the outbox").isEqualTo(writes.size());

            kafka.resume();

            await("the outbox drained").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> unsent(jdbc, tenant) == 0);
            await("every event arrived").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> mutations.of(tenant).size() >= writes.size() + 1);
            assertInOrder(mutations.of(tenant), "workflows",
                    List.of(Operation.CREATE, Operation.CREATE, Operation.UPDATE, Operation.PATCH, Operation.DELETE));
            assertInOrder(mutations.of(tenant), "notifications",
                    List.of(Operation.CREATE, Operation.PATCH, Operation.BULK_PATCH, Operation.DELETE));
        }
    }

    private static long unsent(JdbcClient jdbc, String tenant) {
        return jdbc.sql("SELECT COUNT(*) FROM cachebus_outbox WHERE tenant = ? AND sent_at IS NULL")
                .param(tenant).query(Long.class).single();
    }

    /** The domain's events, each once, in the order they were written (the topic keeps one domain's order). */
    private static void assertInOrder(List<DomainMutated> events, String domain, List<Operation> operations) {
        List<DomainMutated> ofDomain = events.stream().filter(e -> e.domain().equals(domain)).toList();
        assertThat(ofDomain.stream().map(DomainMutated::eventId)).doesNotHaveDuplicates();
        assertThat(ofDomain.stream().map(DomainMutated::operation)).containsExactlyElementsOf(operations);
    }
}
