package io.cachebus.loadtest.liveview;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.loadtest.deployment.local.LocalClusterTarget;
import io.cachebus.loadtest.workload.Domain;
import io.cachebus.loadtest.workload.EntityRef;
import io.cachebus.loadtest.workload.ReferenceApi;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The live view on a started local cluster (in this JVM, read like any other over HTTP): the samplers read the
 * nodes' real Prometheus output, and a write on one node shows as an eviction applied on the others with its delay.
 */
class LiveViewOnLocalClusterTest {

    /** Only a bound on a broken cluster's wait, never a measured figure. */
    private static final Duration AT_MOST = Duration.ofSeconds(60);

    private static LocalClusterTarget target;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() {
        target = LocalClusterTarget.start(LocalClusterTarget.quietDefaults().withApiNodes(3).withInvalidators(1));
    }

    @AfterAll
    static void stop() {
        if (target != null) {
            target.close();
        }
    }

    @Test
    void afterAWriteOnTheFirstNodeTheSamplersSeeItsEvictionAppliedOnTheOthersWithItsDelay() throws Exception {
        ReferenceApi api = new ReferenceApi(HTTP, target::bearerToken, Duration.ofSeconds(30));
        List<URI> nodes = target.apiNodes();
        List<NodeMetricsSampler> samplers = nodes.stream()
                .map(node -> new NodeMetricsSampler(HTTP, target.metricsEndpoint(node), Duration.ofSeconds(10)))
                .toList();
        // the creation is a write too: its evictions are awaited first, so the ones counted below are the write's
        List<NodeActivity> creation = follow(samplers);
        String id = api.create(nodes.get(0), "live-sampler", Domain.WORKFLOWS, "sampled").join();
        awaitEvictions(samplers, creation, List.of(0, 1, 2));

        List<NodeActivity> view = follow(samplers);
        EntityRef workflow = new EntityRef("live-sampler", Domain.WORKFLOWS, id);
        for (URI node : nodes) {
            assertThat(api.read(node, workflow).join().ok()).isTrue();
            assertThat(api.read(node, workflow).join().ok()).isTrue();
        }
        assertThat(api.write(nodes.get(0), workflow, 1).join().ok()).isTrue();
        awaitEvictions(samplers, view, List.of(1, 2));

        for (int node : List.of(1, 2)) {
            NodeRow row = view.get(node).row();
            assertThat(row.answering()).isTrue();
            assertThat(row.evictionsApplied()).as(row.toString()).isPositive();
            assertThat(row.lastEvictionMillis()).as(row.toString()).isPresent();
            assertThat(row.lastEvictionMillis().getAsDouble()).as(row.toString()).isPositive();
            assertThat(row.l1Hits()).as("the second read of each node came from its L1: " + row).isPositive();
            assertThat(row.l1Hits() + row.l2Hits() + row.misses()).as(row.toString()).isGreaterThanOrEqualTo(2);
            assertThat(row.hitRatio()).as(row.toString()).isPresent();
            assertThat(row.l1Size()).as(row.toString()).isPresent();
            assertThat(row.redisBreaker()).as(row.toString()).hasValue("closed");
            assertThat(row.subscriptionAssignments()).as(row.toString()).isPositive();
        }
    }

    @Test
    void thePlainLiveViewPrintsARowPerNodeAndALinePerWrite() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        LiveView.Settings settings = new LiveView.Settings(Duration.ofSeconds(3), Duration.ofSeconds(1),
                new LiveWorkload.Pace(Duration.ofMillis(200), Duration.ofSeconds(1), 3), AT_MOST, 2);

        LiveView.Result result = new LiveView(target, new PrintStream(bytes, true, StandardCharsets.UTF_8), false,
                settings).run();

        String output = bytes.toString(StandardCharsets.UTF_8);
        List<String> lines = output.lines().toList();
        assertThat(output).as("no ANSI escapes off a terminal").doesNotContain("\u001b[");
        for (String node : List.of("api-1", "api-2", "api-3")) {
            assertThat(lines).as(output).anyMatch(line -> line.matches(node + " +\\d+\\.\\d +\\d+ +\\d+ +\\d+ +\\S+"
                    + " +\\d+ +\\d+ +(\\S+ ms|-) +closed +assigned.*"));
        }
        assertThat(result.rows()).extracting(NodeRow::node).containsExactly("api-1", "api-2", "api-3");
        assertThat(result.writes()).as(output).isNotEmpty();
        WriteArrivals first = result.writes().get(0);
        assertThat(first.writer()).isEqualTo("api-1");
        assertThat(first.failure()).isEmpty();
        assertThat(first.arrivals()).as(output).containsOnlyKeys("api-2", "api-3")
                .allSatisfy((node, delay) -> assertThat(delay).isPresent());
        assertThat(lines).as(output).anyMatch(line -> line.matches("\\d\\d:\\d\\d:\\d\\d  write on api-1 \\("
                + LiveView.TENANT + "/workflows/\\S+\\): evicted on api-2 \\S+ ms, api-3 \\S+ ms"));
    }

    private static List<NodeActivity> follow(List<NodeMetricsSampler> samplers) throws InterruptedException {
        List<NodeActivity> activities = new ArrayList<>();
        for (int i = 0; i < samplers.size(); i++) {
            NodeActivity activity = new NodeActivity("api-" + (i + 1));
            activity.record(samplers.get(i).sample(), System.nanoTime());
            activities.add(activity);
        }
        return activities;
    }

    /** Samples until every node of {@code awaited} applied an eviction since {@code activities} began. */
    private static void awaitEvictions(List<NodeMetricsSampler> samplers, List<NodeActivity> activities,
            List<Integer> awaited) throws InterruptedException {
        long deadline = System.nanoTime() + AT_MOST.toNanos();
        List<Integer> left = new ArrayList<>(awaited);
        while (!left.isEmpty()) {
            assertThat(System.nanoTime()).as("evictions still not applied on nodes %s", left).isLessThan(deadline);
            Thread.sleep(100);
            for (int i = 0; i < samplers.size(); i++) {
                Optional<NodeActivity.Applied> applied = activities.get(i).record(samplers.get(i).sample(),
                        System.nanoTime());
                if (applied.isPresent()) {
                    left.remove(Integer.valueOf(i));
                }
            }
        }
    }
}
