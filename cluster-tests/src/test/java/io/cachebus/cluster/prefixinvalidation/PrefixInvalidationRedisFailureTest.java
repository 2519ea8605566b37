package io.cachebus.cluster.prefixinvalidation;

import static io.cachebus.testfixtures.api.Json.object;
import static io.cachebus.testfixtures.api.Responses.expect;
import static io.cachebus.testfixtures.api.Responses.unread;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cachebus.client.Tier;
import io.cachebus.cluster.support.api.JsonShape;
import io.cachebus.cluster.support.api.Paths;
import io.cachebus.cluster.support.api.WriteCase;
import io.cachebus.cluster.support.cluster.ApiNode;
import io.cachebus.cluster.support.cluster.ClusterKind;
import io.cachebus.cluster.support.cluster.OnCluster;
import io.cachebus.cluster.support.cluster.SuiteSettings;
import io.cachebus.cluster.support.cluster.TestCluster;
import io.cachebus.cluster.support.observe.CapturedLogs;
import io.cachebus.cluster.support.observe.EvictionWatch;
import io.cachebus.cluster.support.observe.Scrape;
import io.cachebus.events.CacheKeys;
import io.cachebus.invalidator.invalidation.RedisInvalidator;
import io.cachebus.loadtest.measure.PrometheusSamples;
import io.cachebus.localcluster.ServiceInstance;
import io.cachebus.testfixtures.api.ApiResponse;
import io.cachebus.testfixtures.api.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The prefix-invalidation requirement's Redis failure scenarios (docs/glossary.md), on the cluster whose invalidators delete by SCAN+UNLINK: a SCAN/DEL error in
 * the invalidator is logged and counted and never reaches a client (and the invalidation is done once Redis takes
 * the commands again); and with Redis killed, the writing node's in-memory path still turns its next GET into a miss.
 */
@OnCluster(ClusterKind.SCAN_STRATEGY_WITH_OUTAGES)
@Order(2)
class PrefixInvalidationRedisFailureTest {

    private static final Duration WITHIN = Duration.ofSeconds(30);

    @Test
    void aScanOrDeleteErrorIsLoggedAndNeverReachesTheClient(TestCluster cluster) {
        String tenant = TestCluster.newTenant("scanerror");
        List<ApiNode> nodes = cluster.apiNodes();
        ApiNode writer = nodes.get(0);
        EvictionWatch setUp = EvictionWatch.before(nodes, tenant, Paths.WORKFLOWS_DOMAIN);
        long id = WriteCase.createWorkflow(writer.client(tenant), "scanned", List.of(Json.step("a", "noop")));
        setUp.awaitEverywhere(writer, SuiteSettings.stalenessBound());
        List<String> paths = List.of(Paths.workflow(id), Paths.steps(id), Paths.WORKFLOW_LIST);
        Map<String, String> healthyShapes = new LinkedHashMap<>();
        for (ApiNode node : nodes) {
            for (String path : paths) {
                healthyShapes.put(path, shape(expect(node.client(tenant).get(path), 200)));
            }
        }
        String prefix = CacheKeys.prefix(tenant, Paths.WORKFLOWS_DOMAIN);
        Map<String, String> entriesBefore = cluster.redis().entriesUnder(prefix);
        assertThat(entriesBefore).as("the workflows' entries in Redis").isNotEmpty();
        CapturedLogs.Mark logs = CapturedLogs.mark(cluster.invalidators());
        double failedBefore = failedRedisCalls(cluster);

        // the invalidator's INCR still works; its SCAN and UNLINK (and DEL) are refused; the API nodes use neither
        assertThat(cluster.redis().command("ACL", "SETUSER", "default", "-scan", "-unlink", "-del")).isEqualTo("+OK");
        List<ApiResponse> answered = new ArrayList<>();
        try {
            answered.add(expect(writer.client(tenant).patch(Paths.workflow(id), object("description", "during")), 200));
            await().alias("the failed SCAN logged by the invalidator").atMost(WITHIN).untilAsserted(() -> {
                for (ApiNode node : nodes) {
                    for (String path : paths) {
                        answered.add(node.client(tenant).get(path));
                    }
                }
                assertThat(CapturedLogs.since(logs)).anyMatch(line -> line.contains("invalidation failed")
                        && line.contains("NOPERM"));
            });
            assertThat(failedRedisCalls(cluster)).as("failed Redis calls counted by the invalidators")
                    .isGreaterThan(failedBefore);
            answered.add(expect(writer.client(tenant).patch(Paths.workflow(id), object("description", "after")), 200));
        } finally {
            cluster.redis().command("ACL", "SETUSER", "default", "+@all");
        }
        for (ApiResponse response : answered) {
            assertThat(response.status()).as("%s", response).isEqualTo(200);
            if (response.method().equals("GET")) {
                assertThat(shape(response)).as("%s", response).isEqualTo(healthyShapes.get(response.path()));
            }
        }
        assertThat(expect(writer.client(tenant).get(Paths.workflow(id)), 200).json().get("description").asString())
                .as("read-your-writes on the writing node, while the invalidation cannot complete").isEqualTo("after");

        await().alias("the invalidation done once Redis takes SCAN and UNLINK again").atMost(WITHIN).untilAsserted(() -> {
            for (ApiNode node : nodes) {
                assertThat(expect(node.client(tenant).get(Paths.workflow(id)), 200).json().get("description").asString())
                        .as("%s", node).isEqualTo("after");
            }
            assertThat(cluster.redis().entriesUnder(prefix).keySet()).doesNotContainAnyElementsOf(entriesBefore.keySet());
            assertThat(cluster.backlog().invalidatorLag()).isZero();
        });
    }

    @Test
    void withRedisKilledTheWritingNodesInMemoryPathStillMisses(TestCluster cluster) {
        String tenant = TestCluster.newTenant("redisdown");
        List<ApiNode> nodes = cluster.apiNodes();
        ApiNode writer = nodes.get(1);
        EvictionWatch setUp = EvictionWatch.before(nodes, tenant, Paths.NOTIFICATIONS_DOMAIN);
        long id = WriteCase.createNotification(writer.client(tenant), "to read");
        WriteCase.createNotification(writer.client(tenant), "stays unread");
        setUp.awaitEverywhere(writer, SuiteSettings.stalenessBound());
        List<String> paths = List.of(Paths.notification(id), Paths.UNREAD_COUNT);
        for (ApiNode node : nodes) {
            for (String path : paths) {
                expect(node.client(tenant).get(path), 200);
                expect(node.client(tenant).get(path), 200);
                assertThat(node.cacheEvents().lastTier(tenant, Paths.resource(path))).isEqualTo(Tier.L1);
            }
        }

        cluster.redis().server().kill();
        try {
            expect(writer.client(tenant).patch(Paths.notification(id), object("read", true)), 200);
            ApiResponse item = expect(writer.client(tenant).get(Paths.notification(id)), 200);
            assertThat(writer.cacheEvents().lastTier(tenant, Paths.notification(id))).as("GET after the write, Redis down")
                    .isEqualTo(Tier.LOADER);
            assertThat(item.json().get("read").asBoolean()).isTrue();
            ApiResponse count = expect(writer.client(tenant).get(Paths.UNREAD_COUNT), 200);
            assertThat(writer.cacheEvents().lastTier(tenant, Paths.UNREAD_COUNT)).isEqualTo(Tier.LOADER);
            assertThat(unread(count)).isEqualTo(1);
        } finally {
            cluster.redis().server().restart();
        }
        await().alias("every node shows the write once Redis is back").atMost(WITHIN).untilAsserted(() -> {
            for (ApiNode node : nodes) {
                assertThat(unread(expect(node.client(tenant).get(Paths.UNREAD_COUNT), 200))).as("%s", node).isEqualTo(1);
            }
        });
    }

    /** Calls to Redis the invalidators' circuit breaker counted as failed, over every running invalidator. */
    private static double failedRedisCalls(TestCluster cluster) {
        double failed = 0;
        for (ServiceInstance invalidator : cluster.invalidators()) {
            if (!invalidator.isRunning()) {
                continue;
            }
            // over HTTP: one of the invalidators runs in a JVM of its own
            failed += Scrape.of(invalidator).samples().stream()
                    .filter(sample -> sample.name().equals("resilience4j_circuitbreaker_calls_seconds_count"))
                    .filter(sample -> RedisInvalidator.RESILIENCE_INSTANCE.equals(sample.labels().get("name"))
                            && "failed".equals(sample.labels().get("kind")))
                    .mapToDouble(PrometheusSamples.Sample::value).sum();
        }
        return failed;
    }

    private static String shape(ApiResponse response) {
        return JsonShape.fieldShape(response.json());
    }
}
