package io.cachebus.loadtest.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.loadtest.deployment.BearerTokens;
import io.cachebus.loadtest.deployment.ClusterTarget;
import io.cachebus.loadtest.deployment.NodeMode;
import io.cachebus.loadtest.deployment.local.LocalClusterTarget;
import io.cachebus.loadtest.deployment.url.UrlClusterTarget;
import io.cachebus.loadtest.profile.PhaseKind;
import io.cachebus.loadtest.profile.Profile;
import io.cachebus.loadtest.report.ReportFiles;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.Lifecycle;
import tools.jackson.databind.JsonNode;

/**
 * The API nodes' own consistency sampling against the harness's stale-read check, on a real local cluster whose
 * nodes check every hit: both see stale reads when a node's evictions stop arriving, neither does when they arrive.
 * The nodes do not enforce their staleness bound here (with it, a node whose evictions stop serves nothing stale: see
 * the cache-client and cluster-tests tests of the bound).
 */
class SampledConsistencyOnLocalClusterTest {

    /** Wide enough that propagation on a busy two-core machine stays inside it. */
    private static final Duration BOUND = Duration.ofSeconds(2);

    private static LocalClusterTarget cluster;
    /** The load goes to the cluster's own nodes only: no baseline nodes to start. */
    private static ClusterTarget normalNodes;

    @TempDir
    static Path output;

    @BeforeAll
    static void startCluster() {
        System.setProperty("java.awt.headless", "true");
        // the detector is under test, so the nodes must be able to go stale: a node that enforces the staleness bound
        // reads through to the database as soon as its evictions stop, and then neither count sees anything
        cluster = LocalClusterTarget.start(LocalClusterTarget.withConsistencySampling(
                LocalClusterTarget.quietDefaults().withApiNodes(2), 1.0, BOUND)
                .withApiProperty("cachebus.consistency.enforce", "false"));
        normalNodes = new UrlClusterTarget(Map.of(NodeMode.NORMAL, cluster.apiNodes()),
                new BearerTokens(cluster.cluster().jwtSecret(), Duration.ofHours(1)),
                cluster.kafkaBootstrapServers().orElseThrow());
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static Profile loadOnly() {
        // A write evicts its tenant's whole domain on the node that takes it, so a node whose evictions stop stays
        // stale only between two of its own writes of that domain: many tenants with one entity each make those
        // gaps seconds long. The rate is one a busy two-core machine keeps up with.
        return new Profile("sampling", "a few seconds of mixed load",
                new Profile.Workload(20, 1, 0.5, 0.85, 0.1, 30, 16),
                new Profile.Timing(Duration.ofSeconds(1), Duration.ofSeconds(12), Duration.ofSeconds(1), 1,
                        BOUND.toMillis()),
                new Profile.Propagation(Duration.ofMillis(200), Duration.ofMillis(5), Duration.ofSeconds(5), 2),
                new Profile.ReadThroughput(Duration.ofMillis(500), Duration.ofSeconds(1), 50, 100, 1,
                        Duration.ofSeconds(2), 5),
                new Profile.PrefixInvalidation(20_000, 100, 2),
                new Profile.InvalidatorThroughput(5_000, 20, Duration.ofSeconds(60), false, 0),
                Profile.LocalShape.standard(), List.of(PhaseKind.LOAD), 1,
                new Profile.Chaos(150, 3, Duration.ofSeconds(1)),
                new Profile.HotDomainWrites(1, 1, Duration.ZERO, Duration.ZERO, Duration.ofSeconds(1), 1));
    }

    private static JsonNode bench(String name) throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        BenchRunner.Outcome outcome;
        try (BenchRunner runner = new BenchRunner(normalNodes, loadOnly(),
                new PrintStream(console, true, StandardCharsets.UTF_8), Optional.empty())) {
            outcome = runner.run(output.resolve(name), "test");
        }
        String printed = console.toString(StandardCharsets.UTF_8);
        assertThat(outcome.failedPhases()).as(printed).isEmpty();
        assertThat(Files.readString(outcome.files().markdown())).contains("stale hits sampled by the nodes");
        JsonNode json = ReportFiles.readJson(outcome.files().json());
        assertThat(json.get("errors").asLong()).as(printed).isZero();
        assertThat(json.at("/stale_read_check/sampled_hits_checked").asLong()).as(printed).isPositive();
        return json;
    }

    @Test
    void whenEvictionsArriveNeitherTheHarnessNorTheNodesSeeAStaleRead() throws Exception {
        JsonNode json = bench("healthy");

        assertThat(json.get("stale_reads_beyond_bound").asLong()).as(json.toString()).isZero();
        assertThat(json.at("/stale_read_check/sampled_stale_hits").asLong()).as(json.toString()).isZero();
    }

    @Test
    void whenANodesEvictionsStopBothTheHarnessAndThatNodeSeeStaleReads() throws Exception {
        Lifecycle evictions = cluster.cluster().apiNode(0).context()
                .getBean("cachebusEvictionListenerContainer", Lifecycle.class);
        evictions.stop();
        JsonNode json;
        try {
            json = bench("evictions-cut");
        } finally {
            evictions.start();
        }

        assertThat(json.get("stale_reads_beyond_bound").asLong()).as(json.toString()).isPositive();
        assertThat(json.at("/stale_read_check/sampled_stale_hits").asLong()).as(json.toString()).isPositive();
        assertThat(json.at("/stale_read_check/nodes_bound_ms").isNull()).as("these nodes enforce no bound").isTrue();
        assertThat(json.at("/not_measured/stale_read_check.beyond_nodes_bound").asString())
                .isEqualTo("node 1 enforces no staleness bound");
    }
}
