package io.cachebus.loadtest.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.loadtest.measure.PrometheusSamples;
import io.cachebus.loadtest.report.NodeReadFigures.ScrapedLatency;
import java.net.URI;
import io.cachebus.loadtest.measure.WindowCounters;
import java.util.List;
import java.util.Optional;
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

    /** One window of time from {@code start} to {@code end}, scrapes of {@link #NODES}. */
    private static List<PrometheusSamples> window(List<PrometheusSamples> start, List<PrometheusSamples> end) {
        WindowCounters windows = new WindowCounters();
        windows.add(Optional.of(start), Optional.of(end));
        return windows.perNode().orElseThrow();
    }

    @Test
    void nodesWithoutTheTimerGiveNothingRatherThanAGuess() {
        PrometheusSamples none = PrometheusSamples.parse("cachebus_cache_loads_total 3\n");

        assertThat(ScrapedTimer.overWindows(NODES, window(List.of(none, none), List.of(none, none)),
                List.of(none, none), ScrapedTimer.METRIC)).isEmpty();
    }

    @Test
    void theLoadsBucketsOfEveryNodeMakeTheQuantilesAndTheLargestNodeMaxIsTheMax() {
        List<PrometheusSamples> before = List.of(timer(10, 10, 0.002), timer(0, 0, 0));
        List<PrometheusSamples> after = List.of(timer(60, 110, 0.008), timer(50, 100, 0.009));

        ScrapedLatency inNode = ScrapedTimer.overWindows(NODES, window(before, after), after, ScrapedTimer.METRIC)
                .orElseThrow();

        // 100 + 100 evictions during the load, 100 of them within 1 ms
        assertThat(inNode.samples()).isEqualTo(200);
        assertThat(inNode.p50()).isEqualTo(1.0);
        assertThat(inNode.p99()).isEqualTo(1 + 9 * 98 / 100.0);
        assertThat(inNode.max()).isEqualTo(9.0);
        assertThat(inNode.nodes()).hasSize(2);
        assertThat(inNode.nodes().get(0).p50()).isEqualTo(1.0);
        assertThat(inNode.nodes().get(0).max()).isEqualTo(8.0);
    }

    @Test
    void overWindowsTheQuantilesComeFromTheSummedWindowsAndTheMaxFromTheLastScrape() {
        WindowCounters windows = new WindowCounters();
        // window 1: 50 fast evictions on the first node; window 2: 50 slow ones on the second
        windows.add(Optional.of(List.of(timer(0, 0, 0), timer(0, 0, 0))),
                Optional.of(List.of(timer(50, 50, 0.0008), timer(0, 0, 0))));
        windows.add(Optional.of(List.of(timer(60, 60, 0.0008), timer(0, 0, 0.001))),
                Optional.of(List.of(timer(60, 60, 0.0008), timer(0, 50, 0.009))));
        List<PrometheusSamples> last = List.of(timer(70, 70, 0.002), timer(0, 60, 0.0095));

        ScrapedLatency over = ScrapedTimer.overWindows(NODES, windows.perNode().orElseThrow(), last,
                ScrapedTimer.METRIC).orElseThrow();

        assertThat(over.samples()).as("the 10 evictions between the windows are not counted").isEqualTo(100);
        assertThat(over.p50()).isEqualTo(1.0);
        assertThat(over.p99()).isEqualTo(1 + 9 * 98 / 100.0);
        assertThat(over.max()).as("a gauge: the last scrape's, never a sum of windows").isEqualTo(9.5);
        assertThat(over.nodes().get(0).samples()).isEqualTo(50);
    }
}
