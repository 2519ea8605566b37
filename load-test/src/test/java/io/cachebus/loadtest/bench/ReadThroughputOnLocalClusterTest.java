package io.cachebus.loadtest.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.loadtest.deployment.local.LocalClusterTarget;
import io.cachebus.loadtest.profile.PhaseKind;
import io.cachebus.loadtest.profile.Profile;
import io.cachebus.loadtest.report.ReportFiles;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The read throughput phase end to end on the local cluster in this JVM, at a tiny load: the three kinds of read
 * searched side by side, their cost at one common rate, and the report's new fields. The budget is wide and the
 * rates low, since this checks the measurement, not the figures (the harness checks those against the targets).
 */
class ReadThroughputOnLocalClusterTest {

    @TempDir
    static Path output;

    /** The mixed load (which creates the entities) and the read throughput phase of the end-to-end test's profile. */
    private static Profile loadAndReads() {
        Profile tiny = BenchOnLocalClusterTest.tiny();
        return new Profile("reads", "the read throughput phase, briefly", tiny.workload(), tiny.timing(),
                tiny.propagation(), tiny.throughput(), tiny.prefix(), tiny.invalidator(), tiny.local(),
                List.of(PhaseKind.LOAD, PhaseKind.READ_THROUGHPUT), tiny.seed(), tiny.chaos(), tiny.hotWrites());
    }

    @Test
    void measuresCachedCachingOffAndCeilingReadsOfOneNodeAndWhatEachCosts() throws Exception {
        System.setProperty("java.awt.headless", "true");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        BenchRunner.Outcome outcome;
        try (LocalClusterTarget cluster = LocalClusterTarget.start(LocalClusterTarget.quietDefaults().withApiNodes(1));
                BenchRunner runner = new BenchRunner(cluster, loadAndReads(), new PrintStream(console, true,
                        StandardCharsets.UTF_8), Optional.empty())) {
            outcome = runner.run(output, "test");
            assertThat(ReportFiles.readJson(outcome.files().json()).at("/read_throughput/node").asString())
                    .isEqualTo(cluster.apiNodes().get(0).toString());
        }
        String printed = console.toString(StandardCharsets.UTF_8);
        JsonNode json = ReportFiles.readJson(outcome.files().json());

        assertThat(outcome.failedPhases()).as(printed).isEmpty();
        for (String figure : List.of("cached_read_rps", "uncached_read_rps", "ceiling_read_rps")) {
            assertThat(json.get(figure).asDouble()).as(figure + "\n" + printed).isPositive();
        }
        JsonNode detail = json.get("read_throughput");
        assertThat(detail.at("/by_kind/ceiling/steps").size()).as("the start and its doubling").isGreaterThanOrEqualTo(2);
        assertThat(detail.at("/body_bytes/ceiling").asInt()).as("a body of the cached read's size")
                .isBetween(detail.at("/body_bytes/cached").asInt() - 20, detail.at("/body_bytes/cached").asInt() + 20);

        long harness = ProcessHandle.current().pid();
        assertThat(json.at("/topology/processes/0/pid").asLong()).as("every service shares the harness's JVM here")
                .isEqualTo(harness);
        assertThat(json.at("/topology/processes/0/runs").toString()).contains("api-1", "invalidator-1");
        for (JsonNode process : json.at("/topology/processes")) {
            if (process.get("pid").asLong() != harness) {
                assertThat(process.get("runs").toString()).as("only redis-server runs outside the harness here")
                        .contains("redis").doesNotContain("api-", "invalidator-");
            }
        }
        assertThat(json.at("/topology/pinning").isNull()).isTrue();
        assertThat(json.get("dataset").isNull()).isTrue();
        for (String kind : List.of("cached", "caching_off", "ceiling")) {
            assertThat(json.at("/cpu_s_per_1000_requests/" + kind + "/harness").asDouble()).as(kind).isPositive();
            assertThat(json.at("/database_cost/" + kind + "/reads").asLong()).as(kind).isPositive();
        }
        // caching off, a read runs the loader unless a concurrent read of the same workflow already does (single flight)
        assertThat(json.at("/database_cost/caching_off/loader_runs_per_read").asDouble())
                .isGreaterThan(json.at("/database_cost/cached/loader_runs_per_read").asDouble());
        assertThat(json.at("/database_cost/ceiling/loader_runs_per_read").asDouble()).isZero();
        assertThat(json.at("/database_cost/cached/database").isNull()).as("H2, not PostgreSQL").isTrue();

        assertThat(json.get("db_queries_per_read").isNumber()).as(printed).isTrue();
        boolean timerExposed = json.get("propagation_in_node_ms").isObject();
        assertThat(timerExposed || json.at("/not_measured/propagation_in_node_ms").isString())
                .as("the nodes' propagation timer is read, or said to be absent").isTrue();
        assertThat(Files.readString(outcome.files().markdown())).contains("(c) ceiling").contains("## Processes")
                .contains("cached reads against the node's ceiling").contains("database queries per read");
    }
}
