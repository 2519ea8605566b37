package io.cachebus.cluster.isolation;

import static io.cachebus.testfixtures.api.Json.object;
import static io.cachebus.testfixtures.api.Json.step;
import static io.cachebus.testfixtures.api.Json.workflow;
import static io.cachebus.testfixtures.api.Responses.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.api.security.LocalTokens;
import io.cachebus.client.Tier;
import io.cachebus.cluster.support.api.Paths;
import io.cachebus.cluster.support.cluster.ApiNode;
import io.cachebus.cluster.support.cluster.ClusterKind;
import io.cachebus.cluster.support.cluster.OnCluster;
import io.cachebus.cluster.support.cluster.SuiteSettings;
import io.cachebus.cluster.support.cluster.TestCluster;
import io.cachebus.cluster.support.observe.EvictionWatch;
import io.cachebus.events.Tag;
import io.cachebus.testfixtures.api.ApiClient;
import io.cachebus.testfixtures.api.ApiResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Invariant 6, tenant isolation, on the cluster whose invalidators delete by SCAN MATCH (a glob): every write of
 * one tenant leaves every other tenant's entries alone, counted in Redis (the same keys with the same values, the
 * same generation counters) and in every node's L1 (the same local generations, and their reads still hits), for
 * neighbours whose names extend it ({@code x1} and {@code x10}, {@code x1-a}, {@code x1_a}), differ from it in one
 * character or only in case. And a token whose tenant claim holds a glob character, a separator or whitespace is
 * refused (401) by every node before anything reads or writes.
 */
@OnCluster(ClusterKind.SCAN_STRATEGY_WITH_OUTAGES)
@Order(1)
class TenantIsolationTest {

    private static final List<String> CACHED_PATHS = List.of(Paths.WORKFLOW_LIST, Paths.NOTIFICATION_LIST,
            Paths.UNREAD_COUNT);

    /** What one tenant has cached and counted, everywhere. */
    private record Footprint(Map<String, String> redisEntries, Map<String, Long> redisGenerations,
            Map<String, Long> localGenerations, Map<String, String> answers) {
    }

    @Test
    void everyWriteOfOneTenantLeavesItsNeighboursEntriesAlone(TestCluster cluster) {
        String stem = "x" + UUID.randomUUID().toString().substring(0, 6);
        String writing = stem + "1";
        List<String> neighbours = List.of(stem + "10", stem + "11", stem + "1-a", stem + "1_a", stem + "2",
                stem.toUpperCase() + "1");
        List<ApiNode> nodes = cluster.apiNodes();
        Map<String, Long> workflowIds = new LinkedHashMap<>();
        for (String tenant : concat(writing, neighbours)) {
            workflowIds.put(tenant, setUp(cluster, tenant));
        }
        for (String tenant : concat(writing, neighbours)) {
            for (ApiNode node : nodes) {
                for (String path : paths(workflowIds.get(tenant))) {
                    expect(node.client(tenant).get(path), 200);
                    expect(node.client(tenant).get(path), 200);
                }
            }
            assertThat(cluster.redis().entriesOf(tenant)).as("Redis entries of %s", tenant).isNotEmpty();
        }
        Map<String, Footprint> before = new LinkedHashMap<>();
        neighbours.forEach(tenant -> before.put(tenant, footprint(cluster, tenant, workflowIds.get(tenant))));
        Map<String, String> writersEntriesBefore = cluster.redis().entriesOf(writing);

        writeEverything(cluster, writing, workflowIds.get(writing));

        assertThat(cluster.redis().entriesOf(writing).keySet()).as("the writing tenant's entries were deleted by the"
                + " SCAN (else the invalidator did not run and this test proves nothing)")
                .doesNotContainAnyElementsOf(writersEntriesBefore.keySet());
        for (String tenant : neighbours) {
            Footprint after = footprint(cluster, tenant, workflowIds.get(tenant));
            Footprint was = before.get(tenant);
            assertThat(after.redisEntries()).as("Redis entries of %s after %s's writes", tenant, writing)
                    .isEqualTo(was.redisEntries());
            assertThat(after.redisGenerations()).as("Redis generation counters of %s", tenant)
                    .isEqualTo(was.redisGenerations());
            assertThat(after.localGenerations()).as("every node's local generations of %s", tenant)
                    .isEqualTo(was.localGenerations());
            assertThat(after.answers()).as("%s's answers", tenant).isEqualTo(was.answers());
            for (ApiNode node : nodes) {
                for (String path : paths(workflowIds.get(tenant))) {
                    assertThat(node.cacheEvents().lastTier(tenant, Paths.resource(path)))
                            .as("%s's GET %s on %s after %s's writes", tenant, path, node, writing).isEqualTo(Tier.L1);
                }
            }
        }
    }

    @ParameterizedTest(name = "tenant claim \"{0}\"")
    @ValueSource(strings = {"*", "x1*", "x?", "x[1]", "x[a-z]", "x\\1", "x1:workflows", "x 1", "x\t1", "x1\n", "",
            "tenant:x1"})
    void aTokenWhoseTenantCouldBeAGlobIsRefusedByEveryNode(String claim, TestCluster cluster) {
        // valid in every way but the tenant (LocalTokens.claims refuses such a tenant, so it is replaced after)
        String token = LocalTokens.sign(cluster.jwtSecret(), LocalTokens.claims("placeholder", Duration.ofMinutes(5),
                "intruder").claim("tenant", claim).build());
        long keysBefore = cluster.redis().server().dbSize();
        for (ApiNode node : cluster.apiNodes()) {
            ApiClient api = node.clientWithToken(token);
            for (ApiResponse response : List.of(api.get(Paths.WORKFLOW_LIST), api.get(Paths.UNREAD_COUNT),
                    api.post(Paths.NOTIFICATIONS, object("title", "sneaky")),
                    api.patch(Paths.NOTIFICATIONS, object("all", true)))) {
                expect(response, 401);
            }
        }
        assertThat(cluster.redis().server().dbSize()).as("keys in Redis").isEqualTo(keysBefore);
    }

    /** A workflow with steps and three notifications; returns the workflow's id once every node has seen them. */
    private static long setUp(TestCluster cluster, String tenant) {
        ApiNode writer = cluster.apiNode(0);
        ApiClient api = writer.client(tenant);
        EvictionWatch workflows = EvictionWatch.before(cluster.apiNodes(), tenant, Paths.WORKFLOWS_DOMAIN);
        EvictionWatch notifications = EvictionWatch.before(cluster.apiNodes(), tenant, Paths.NOTIFICATIONS_DOMAIN);
        long id = expect(api.post(Paths.WORKFLOWS, workflow("w-" + tenant, "ACTIVE", "of " + tenant,
                List.of(step("s", "noop")))), 201).id();
        for (int i = 1; i <= 3; i++) {
            expect(api.post(Paths.NOTIFICATIONS, object("title", "n" + i + " of " + tenant)), 201);
        }
        workflows.awaitEverywhere(writer, SuiteSettings.stalenessBound());
        notifications.awaitEverywhere(writer, SuiteSettings.stalenessBound());
        return id;
    }

    /** Every write operation of both domains, on every node in turn, each waited for until every node applied it. */
    private static void writeEverything(TestCluster cluster, String tenant, long workflowId) {
        List<ApiNode> nodes = cluster.apiNodes();
        List<Function<ApiClient, ApiResponse>> writes = List.of(
                api -> api.post(Paths.WORKFLOWS, workflow("another", "DRAFT", null, List.of())),
                api -> api.put(Paths.workflow(workflowId), workflow("replaced", "PAUSED", null, List.of(step("t", "x")))),
                api -> api.patch(Paths.workflow(workflowId), object("description", "patched")),
                api -> api.post(Paths.NOTIFICATIONS, object("title", "one more")),
                api -> api.patch(Paths.NOTIFICATIONS + "/" + firstNotification(api), object("read", true)),
                api -> api.patch(Paths.NOTIFICATIONS, object("all", true)),
                api -> api.delete(Paths.NOTIFICATIONS + "/" + firstNotification(api)),
                api -> api.delete(Paths.workflow(workflowId)));
        for (int i = 0; i < writes.size(); i++) {
            ApiNode writer = nodes.get(i % nodes.size());
            ApiClient api = writer.client(tenant);
            String domain = i < 3 || i == writes.size() - 1 ? Paths.WORKFLOWS_DOMAIN : Paths.NOTIFICATIONS_DOMAIN;
            EvictionWatch watch = EvictionWatch.before(nodes, tenant, domain);
            ApiResponse response = writes.get(i).apply(api);
            assertThat(response.isSuccess()).as("%s", response).isTrue();
            watch.awaitEverywhere(writer, SuiteSettings.stalenessBound());
        }
    }

    private static long firstNotification(ApiClient api) {
        return expect(api.get(Paths.NOTIFICATION_LIST), 200).json().get("items").get(0).get("id").asLong();
    }

    private static Footprint footprint(TestCluster cluster, String tenant, long workflowId) {
        Map<String, Long> redisGenerations = new LinkedHashMap<>();
        redisGenerations.put("workflows", cluster.redis().generation(tenant, Paths.WORKFLOWS_DOMAIN));
        redisGenerations.put("workflows:steps", cluster.redis().generation(tenant, new Tag(Paths.WORKFLOWS_DOMAIN, "steps")));
        redisGenerations.put("notifications", cluster.redis().generation(tenant, Paths.NOTIFICATIONS_DOMAIN));
        redisGenerations.put("notifications:unread-count",
                cluster.redis().generation(tenant, new Tag(Paths.NOTIFICATIONS_DOMAIN, "unread-count")));
        Map<String, Long> localGenerations = new LinkedHashMap<>();
        Map<String, String> answers = new LinkedHashMap<>();
        for (ApiNode node : cluster.apiNodes()) {
            localGenerations.put(node + " workflows", node.localGeneration(tenant, Paths.WORKFLOWS_DOMAIN, null));
            localGenerations.put(node + " workflows:steps", node.localGeneration(tenant, Paths.WORKFLOWS_DOMAIN, "steps"));
            localGenerations.put(node + " notifications", node.localGeneration(tenant, Paths.NOTIFICATIONS_DOMAIN, null));
            localGenerations.put(node + " notifications:unread-count",
                    node.localGeneration(tenant, Paths.NOTIFICATIONS_DOMAIN, "unread-count"));
            for (String path : paths(workflowId)) {
                answers.put(node + " " + path, expect(node.client(tenant).get(path), 200).body());
            }
        }
        return new Footprint(cluster.redis().entriesOf(tenant), redisGenerations, localGenerations, answers);
    }

    private static List<String> paths(long workflowId) {
        List<String> paths = new ArrayList<>(CACHED_PATHS);
        paths.add(Paths.workflow(workflowId));
        paths.add(Paths.steps(workflowId));
        return paths;
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all;
    }
}
