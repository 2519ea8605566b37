package io.cachebus.cluster.staleness;

import static io.cachebus.testfixtures.api.Json.object;
import static io.cachebus.testfixtures.api.Json.step;
import static io.cachebus.testfixtures.api.Json.workflow;
import static io.cachebus.testfixtures.api.Responses.expect;
import static io.cachebus.testfixtures.api.Responses.itemValues;
import static io.cachebus.testfixtures.api.Responses.unread;
import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.cluster.support.api.Paths;
import io.cachebus.cluster.support.cluster.ApiNode;
import io.cachebus.cluster.support.cluster.ClusterKind;
import io.cachebus.cluster.support.cluster.OnCluster;
import io.cachebus.cluster.support.cluster.SuiteSettings;
import io.cachebus.cluster.support.cluster.TestCluster;
import io.cachebus.testfixtures.api.ApiClient;
import io.cachebus.testfixtures.api.ApiResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Invariant 1, bounded staleness: writes go to one node while every node is read; once a write's response has been
 * sent, no node may answer with data older than the write after the propagation bound
 * ({@value SuiteSettings#STALENESS_BOUND_PROPERTY}, read from the run's settings). Every node has the data cached
 * before each write, and entries outlive the test, so only the invalidation can make a node show the write. The
 * test only speaks HTTP: it sees what a client sees.
 */
@OnCluster(ClusterKind.GENERATION_STRATEGY)
class BoundedStalenessTest {

    private static final Duration READ_INTERVAL = Duration.ofMillis(10);

    /** One write and what a read of each affected resource shows once it has seen the write. */
    private record Write(String description, Function<ApiClient, ApiResponse> request,
            Map<String, Predicate<ApiResponse>> seen) {
    }

    @Test
    void afterTheBoundNoNodeAnswersWithDataOlderThanAnAcknowledgedWrite(TestCluster cluster) {
        Duration bound = SuiteSettings.stalenessBound();
        String tenant = TestCluster.newTenant("stale");
        List<ApiNode> nodes = cluster.apiNodes();
        ApiClient setUp = nodes.get(0).client(tenant);
        long workflowId = expect(setUp.post(Paths.WORKFLOWS, workflow("w", "ACTIVE", "v0", List.of(step("s0", "noop")))),
                201).id();
        long first = expect(setUp.post(Paths.NOTIFICATIONS, object("title", "n1")), 201).id();
        long second = expect(setUp.post(Paths.NOTIFICATIONS, object("title", "n2")), 201).id();
        expect(setUp.post(Paths.NOTIFICATIONS, object("title", "n3")), 201);

        List<Write> writes = writes(workflowId, first, second);
        List<String> measured = new ArrayList<>();
        for (int round = 0; round < writes.size(); round++) {
            Write write = writes.get(round);
            ApiNode writer = nodes.get(round % nodes.size());
            for (ApiNode node : nodes) {
                for (String path : write.seen().keySet()) {
                    expect(node.client(tenant).get(path), 200);
                }
            }

            expect2xx(write.request().apply(writer.client(tenant)));
            long acknowledged = System.nanoTime();

            Map<String, Long> firstSeenMillis = awaitSeenEverywhere(nodes, tenant, write, acknowledged, bound);
            measured.add(write.description() + " on " + writer + ": " + firstSeenMillis);
            for (ApiNode node : nodes) {
                for (Map.Entry<String, Predicate<ApiResponse>> probe : write.seen().entrySet()) {
                    ApiResponse afterBound = expect(node.client(tenant).get(probe.getKey()), 200);
                    assertThat(probe.getValue()).as("%s, %s ms after the write (%s) was acknowledged: the answer of %s"
                                    + " must show it", afterBound, elapsedMillis(acknowledged), write.description(), node)
                            .accepts(afterBound);
                }
            }
        }
        System.out.println("propagation (ms from the write's response to the first read showing it, per node):\n  "
                + String.join("\n  ", measured));
    }

    /**
     * Reads every node until each shows the write, for at most the bound; a node that showed the write must not go
     * back to older data. Returns, per node, how long after the acknowledgement it first showed the write.
     */
    private static Map<String, Long> awaitSeenEverywhere(List<ApiNode> nodes, String tenant, Write write,
            long acknowledged, Duration bound) {
        Map<String, Long> firstSeen = new LinkedHashMap<>();
        long deadline = acknowledged + bound.toNanos();
        while (firstSeen.size() < nodes.size() * write.seen().size()) {
            boolean pastBound = System.nanoTime() - deadline > 0;
            for (ApiNode node : nodes) {
                for (Map.Entry<String, Predicate<ApiResponse>> probe : write.seen().entrySet()) {
                    String key = node + " " + probe.getKey();
                    ApiResponse read = expect(node.client(tenant).get(probe.getKey()), 200);
                    boolean seen = probe.getValue().test(read);
                    if (seen) {
                        firstSeen.putIfAbsent(key, elapsedMillis(acknowledged));
                    } else {
                        assertThat(firstSeen).as("%s went back to data older than %s after showing it: %s", node,
                                write.description(), read).doesNotContainKey(key);
                        assertThat(pastBound).as("%s still answers with data older than %s %s ms after it was"
                                + " acknowledged (bound %s ms): %s", node, write.description(),
                                elapsedMillis(acknowledged), bound.toMillis(), read).isFalse();
                    }
                }
            }
            sleep(READ_INTERVAL);
        }
        Map<String, Long> slowestPerNode = new LinkedHashMap<>();
        firstSeen.forEach((key, millis) -> slowestPerNode.merge(key.substring(0, key.indexOf(' ')), millis, Math::max));
        return slowestPerNode;
    }

    /** Writes of every kind on both domains; the values each write leaves behind are known in advance. */
    private static List<Write> writes(long workflowId, long first, long second) {
        String item = Paths.workflow(workflowId);
        return List.of(
                new Write("PATCH workflow",
                        api -> api.patch(item, object("description", "v1")),
                        Map.of(item, r -> r.json().get("description").asString().equals("v1"),
                                Paths.WORKFLOW_LIST, r -> itemValues(r, "description").equals(List.of("v1")))),
                new Write("PUT workflow",
                        api -> api.put(item, workflow("w-2", "PAUSED", "v2", List.of(step("s2", "noop")))),
                        Map.of(item, r -> r.json().get("name").asString().equals("w-2"),
                                Paths.steps(workflowId), r -> r.json().get("steps").findValuesAsString("name")
                                        .equals(List.of("s2")))),
                new Write("mark a notification read",
                        api -> api.patch(Paths.notification(first), object("read", true)),
                        Map.of(Paths.notification(first), r -> r.json().get("read").asBoolean(),
                                Paths.UNREAD_COUNT, r -> unread(r) == 2)),
                new Write("POST notification",
                        api -> api.post(Paths.NOTIFICATIONS, object("title", "n4")),
                        Map.of(Paths.NOTIFICATION_LIST, r -> itemValues(r, "title").contains("n4"),
                                Paths.UNREAD_COUNT, r -> unread(r) == 3)),
                new Write("bulk mark all read",
                        api -> api.patch(Paths.NOTIFICATIONS, object("all", true)),
                        Map.of(Paths.UNREAD_COUNT, r -> unread(r) == 0,
                                Paths.notification(second), r -> r.json().get("read").asBoolean())),
                new Write("mark a notification unread",
                        api -> api.patch(Paths.notification(first), object("read", false)),
                        Map.of(Paths.UNREAD_COUNT, r -> unread(r) == 1)),
                new Write("DELETE notification",
                        api -> api.delete(Paths.notification(second)),
                        Map.of(Paths.NOTIFICATION_LIST, r -> !itemValues(r, "title").contains("n2"))),
                new Write("POST workflow",
                        api -> api.post(Paths.WORKFLOWS, workflow("w-new", "DRAFT", null, List.of())),
                        Map.of(Paths.WORKFLOW_LIST, r -> itemValues(r, "name").contains("w-new"))),
                new Write("DELETE workflow",
                        api -> api.delete(item),
                        Map.of(Paths.WORKFLOW_LIST, r -> !itemValues(r, "name").contains("w-2"))));
    }

    private static void expect2xx(ApiResponse response) {
        assertThat(response.isSuccess()).as("%s", response).isTrue();
    }

    private static long elapsedMillis(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1_000_000;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
