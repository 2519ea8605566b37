package io.cachebus.loadtest.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class BenchReportJsonTest {

    /** The fields the targets are checked against, as the issue fixes them, in order. */
    private static final List<String> REQUIRED_TOP_LEVEL = List.of("profile", "reads", "writes", "read_latency_ms",
            "write_latency_ms", "write_latency_no_invalidation_ms", "propagation_ms", "bound_ms",
            "stale_reads_beyond_bound", "hit_ratio", "cached_read_rps", "uncached_read_rps", "prefix_invalidation_ms",
            "invalidator_events_per_s");

    private static final List<String> REQUIRED_PATHS = List.of(
            "/read_latency_ms/p50", "/read_latency_ms/p99", "/read_latency_ms/p999",
            "/write_latency_ms/p50", "/write_latency_ms/p99",
            "/write_latency_no_invalidation_ms/p50", "/write_latency_no_invalidation_ms/p99",
            "/propagation_ms/p50", "/propagation_ms/p99", "/propagation_ms/max");

    private static JsonNode json(BenchReport report) {
        return ReportFiles.JSON.readTree(ReportFiles.toJson(report));
    }

    @Test
    void everyRequiredFieldIsThereFirstAndInOrder() {
        JsonNode json = json(ReportSamples.complete());
        List<String> names = new ArrayList<>(json.propertyNames());
        assertThat(names.subList(0, REQUIRED_TOP_LEVEL.size())).containsExactlyElementsOf(REQUIRED_TOP_LEVEL);
        for (String path : REQUIRED_PATHS) {
            assertThat(json.at(path).isNumber()).as(path).isTrue();
        }
        for (String strategy : List.of("scan", "default")) {
            JsonNode cost = json.get("prefix_invalidation_ms").get(strategy);
            assertThat(cost.get("keyspace").asLong()).isEqualTo(1_000_002);
            assertThat(cost.get("removed").asLong()).isEqualTo(1_000);
            assertThat(cost.get("p50").isNumber()).isTrue();
        }
        assertThat(json.get("profile").asString()).isEqualTo("quick");
        assertThat(json.get("reads").asLong()).isEqualTo(9_000);
        assertThat(json.get("read_latency_ms").get("p999").asDouble()).isEqualTo(12.25);
        assertThat(json.get("bound_ms").asLong()).isEqualTo(100);
        assertThat(json.get("stale_reads_beyond_bound").asLong()).isZero();
        assertThat(json.get("invalidator_events_per_s").asDouble()).isEqualTo(120_000.0);
    }

    @Test
    void extensionFieldsFollowTheContract() {
        JsonNode json = json(ReportSamples.complete());
        List<String> names = new ArrayList<>(json.propertyNames());
        assertThat(names).contains("faults", "coalescing_ratio", "not_measured", "run");
        assertThat(names.indexOf("faults")).isGreaterThan(REQUIRED_TOP_LEVEL.size());
        assertThat(json.get("faults").get(0).get("fault").asString()).isEqualTo("redis-killed");
    }

    @Test
    void figuresNotMeasuredAreNullButTheirFieldsAreStillThere() {
        JsonNode json = json(ReportSamples.nothingMeasured());
        for (String field : REQUIRED_TOP_LEVEL) {
            assertThat(json.has(field)).as(field).isTrue();
        }
        for (String path : REQUIRED_PATHS) {
            assertThat(json.at(path).isNull()).as(path).isTrue();
        }
        assertThat(json.get("hit_ratio").isNull()).isTrue();
        assertThat(json.get("prefix_invalidation_ms").has("scan")).isTrue();
        assertThat(json.get("prefix_invalidation_ms").get("default").isNull()).isTrue();
        assertThat(json.get("not_measured").get("hit_ratio").asString()).isEqualTo("no metrics");
    }
}
