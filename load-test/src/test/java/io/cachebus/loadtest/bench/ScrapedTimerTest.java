package io.cachebus.loadtest.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.loadtest.measure.PrometheusSamples;
import io.cachebus.loadtest.report.NodeReadFigures.ScrapedLatency;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScrapedTimerTest {

    private static final List<URI> NODES = List.of(URI.create("http://127.0.0.1:1"), URI.create("http://127.0.0.1:2"));

    private static PrometheusSamples timer(double underOneMs, double underTenMs, double max) {
        return PrometheusSamples.parse("""
                cachebus_eviction_propagation_seconds_bucket{le="0.001"} %s
                cachebus_eviction_propagation_seconds_bucket{le="0.01"} %s
                cachebus_eviction_propagation_seconds_bucket{le="+Inf"} %s
                cachebus_eviction_propagation_seconds_count %s
                cachebus_eviction_propagation_seconds_max %s
                """.formatted(underOneMs, underTenMs, underTenMs, underTenMs, max));
    }

    @Test
    void nodesWithoutTheTimerGiveNothingRatherThanAGuess() {
        PrometheusSamples none = PrometheusSamples.parse("cachebus_cache_loads_total 3\n");

        assertThat(ScrapedTimer.between(NODES, List.of(none, none), List.of(none, none))).isEmpty();
    }

    @Test
    void theLoadsBucketsOfEveryNodeMakeTheQuantilesAndTheLargestNodeMaxIsTheMax() {
        List<PrometheusSamples> before = List.of(timer(10, 10, 0.002), timer(0, 0, 0));
        List<PrometheusSamples> after = List.of(timer(60, 110, 0.008), timer(50, 100, 0.009));

        ScrapedLatency inNode = ScrapedTimer.between(NODES, before, after).orElseThrow();

        // 100 + 100 evictions during the load, 100 of them within 1 ms
        assertThat(inNode.samples()).isEqualTo(200);
        assertThat(inNode.p50()).isEqualTo(1.0);
        assertThat(inNode.p99()).isEqualTo(1 + 9 * 98 / 100.0);
        assertThat(inNode.max()).isEqualTo(9.0);
        assertThat(inNode.nodes()).hasSize(2);
        assertThat(inNode.nodes().get(0).p50()).isEqualTo(1.0);
        assertThat(inNode.nodes().get(0).max()).isEqualTo(8.0);
    }
}
