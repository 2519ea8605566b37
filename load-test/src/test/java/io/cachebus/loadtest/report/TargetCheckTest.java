package io.cachebus.loadtest.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class TargetCheckTest {

    private static ObjectNode json(BenchReport report) {
        return (ObjectNode) ReportFiles.JSON.readTree(ReportFiles.toJson(report));
    }

    private static TargetCheck.Status status(List<TargetCheck.Result> results, String target) {
        return results.stream().filter(r -> r.target().equals(target)).findFirst().orElseThrow().status();
    }

    @Test
    void aReportWithinEveryTargetMeetsThemAll() {
        List<TargetCheck.Result> results = TargetCheck.evaluate(json(ReportSamples.complete()));
        assertThat(results).hasSize(14).allMatch(r -> r.status() == TargetCheck.Status.MET);
        assertThat(TargetCheck.allMet(results)).isTrue();
    }

    @Test
    void eachTargetCanBeMissed() {
        ObjectNode json = json(ReportSamples.complete());
        ((ObjectNode) json.get("propagation_ms")).put("p50", 10.0);
        ((ObjectNode) json.get("propagation_ms")).put("p99", 50.5);
        json.put("stale_reads_beyond_bound", 1);
        ((ObjectNode) json.get("stale_read_check")).put("beyond_nodes_bound", 1);
        ((ObjectNode) json.get("write_latency_ms")).put("p99", 9.4); // baseline 8.5: 10.6% slower
        ((ObjectNode) json.get("prefix_invalidation_ms").get("default")).put("p50", 4.0); // 275x
        json.put("invalidator_events_per_s", 99_999.0);
        ((ObjectNode) json.get("propagation_in_node_ms")).put("p50", 5.0);
        ((ObjectNode) json.get("propagation_in_node_ms")).put("p99", 25.5);
        json.put("hit_ratio", 0.899);
        json.put("cached_read_rps", 7_000.0); // 4.7x uncached, 0.54x the ceiling
        json.put("db_queries_per_read", 0.11);
        ((ObjectNode) json.get("hot_domain_write_rps")).put("with", 899.0); // 0.899x invalidation off

        List<TargetCheck.Result> results = TargetCheck.evaluate(json);

        assertThat(results).allMatch(r -> r.status() == TargetCheck.Status.MISSED);
        assertThat(TargetCheck.allMet(results)).isFalse();
    }

    @Test
    void theWriteP99RatioSaysHowFarChanceAloneCouldMoveIt() {
        ObjectNode json = json(ReportSamples.complete());
        ((ObjectNode) json.get("write_latency_ms")).put("p99", 12.75); // baseline 8.5: 1.5x
        json.putPOJO(BenchReport.WRITE_P99_RATIO, new BenchReport.WriteP99Ratio(1.5, 0.92, 2.35, 1_300, 600, 2_000));
        json = (ObjectNode) ReportFiles.JSON.readTree(json.toString());

        assertThat(TargetCheck.evaluate(json)).filteredOn(r -> r.target().equals("write p99 with invalidation"))
                .singleElement().satisfies(r -> {
                    assertThat(r.measured()).isEqualTo("1.50x the baseline (95% bootstrap interval 0.920 to 2.35x)");
                    assertThat(r.status()).as("judged by the ratio measured, the interval only shown")
                            .isEqualTo(TargetCheck.Status.MISSED);
                });
    }

    @Test
    void theNodesOwnBoundIsCheckedWhenTheNodesSaidWhatItIs() {
        ObjectNode json = json(ReportSamples.complete());
        List<TargetCheck.Result> met = TargetCheck.evaluate(json);
        assertThat(met).filteredOn(r -> r.target().equals("stale reads, the nodes' own bound")).singleElement()
                .satisfies(r -> assertThat(r.measured()).isEqualTo("0 beyond 1,000 ms"));
        ((ObjectNode) json.get("stale_read_check")).putNull("nodes_bound_ms");
        assertThat(status(TargetCheck.evaluate(json), "stale reads, the nodes' own bound"))
                .isEqualTo(TargetCheck.Status.NOT_MEASURED);
    }

    @Test
    void theHotDomainsWritesMeetTheirTargetFromNineTenthsOfTheRateWithInvalidationOff() {
        ObjectNode json = json(ReportSamples.complete());
        ((ObjectNode) json.get("hot_domain_write_rps")).put("with", 900.0);
        assertThat(status(TargetCheck.evaluate(json), "hot (tenant, domain) write throughput"))
                .isEqualTo(TargetCheck.Status.MET);
        json.remove("hot_domain_write_rps");
        assertThat(status(TargetCheck.evaluate(json), "hot (tenant, domain) write throughput"))
                .isEqualTo(TargetCheck.Status.NOT_MEASURED);
    }

    @Test
    void aWiderBoundDoesNotCount() {
        ObjectNode json = json(ReportSamples.complete());
        json.put("bound_ms", 250);
        assertThat(status(TargetCheck.evaluate(json), "stale reads")).isEqualTo(TargetCheck.Status.MISSED);
    }

    @Test
    void missingFiguresAreNotMeasuredNeverMet() {
        JsonNode json = json(ReportSamples.nothingMeasured());
        List<TargetCheck.Result> results = TargetCheck.evaluate(json);
        assertThat(results).allMatch(r -> r.status() == TargetCheck.Status.NOT_MEASURED);
        assertThat(TargetCheck.allMet(results)).isFalse();
        assertThat(TargetCheck.evaluate(ReportFiles.JSON.readTree("{}")))
                .allMatch(r -> r.status() == TargetCheck.Status.NOT_MEASURED);
    }

    @Test
    void cachedReadsMeetTheCeilingTargetFromNineTenthsOfItAndTheDatabaseTargetUpToOneQueryInTen() {
        ObjectNode json = json(ReportSamples.complete());
        json.put("cached_read_rps", 9_000.0);
        json.put("ceiling_read_rps", 10_000.0);
        json.put("uncached_read_rps", 1_800.0);
        json.put("db_queries_per_read", 0.1);

        List<TargetCheck.Result> results = TargetCheck.evaluate(json);

        assertThat(status(results, "cached reads against the node's ceiling")).isEqualTo(TargetCheck.Status.MET);
        assertThat(status(results, "cached read throughput")).isEqualTo(TargetCheck.Status.MET);
        assertThat(status(results, "database queries per read")).isEqualTo(TargetCheck.Status.MET);

        json.put("ceiling_read_rps", 10_001.0);
        json.putNull("db_queries_per_read");
        results = TargetCheck.evaluate(json);
        assertThat(status(results, "cached reads against the node's ceiling")).isEqualTo(TargetCheck.Status.MISSED);
        assertThat(status(results, "database queries per read")).isEqualTo(TargetCheck.Status.NOT_MEASURED);
    }
}
