package io.cachebus.loadtest.liveview;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class LiveViewRendererTest {

    private final LiveViewRenderer renderer = new LiveViewRenderer();

    @Test
    void theTableHasATitleTheColumnsAndARowPerNode() {
        List<NodeRow> rows = List.of(
                new NodeRow("api-1", true, 3.04, 41, 5, 2, OptionalDouble.of(46.0 / 48), OptionalLong.of(7), 6,
                        OptionalDouble.of(3.14), Optional.of("closed"), 1),
                new NodeRow("api-2", true, 12.55, 0, 0, 0, OptionalDouble.empty(), OptionalLong.empty(), 14,
                        OptionalDouble.of(27.6), Optional.of("half_open"), 3),
                new NodeRow("api-3", false, 0, 0, 0, 0, OptionalDouble.empty(), OptionalLong.empty(), 0,
                        OptionalDouble.empty(), Optional.empty(), 0),
                new NodeRow("api-4", true, 0, 0, 0, 0, OptionalDouble.empty(), OptionalLong.of(0), 0,
                        OptionalDouble.empty(), Optional.empty(), 0));

        assertThat(renderer.table(7, 20, rows)).containsExactly(
                "live view 7/20 s  (counts since the view started; eviction delay: from the write's commit until the"
                        + " node applied it)",
                "node     req/s  L1 hits  L2 hits  misses   hits  L1 size  evictions  last delay  redis breaker"
                        + "  evictions subscription",
                "api-1      3.0       41        5       2    96%        7          6      3.1 ms  closed       "
                        + "  assigned",
                "api-2     12.6        0        0       0      -        -         14       28 ms  half_open    "
                        + "  assigned, reassigned 2x",
                "api-3   does not answer its metrics endpoint",
                "api-4      0.0        0        0       0      -        0          0           -  none         "
                        + "  not assigned yet");
    }

    @Test
    void aWriteLineNamesTheWriterAndEveryOtherNodesDelay() {
        Map<String, OptionalDouble> arrivals = new LinkedHashMap<>();
        arrivals.put("api-1", OptionalDouble.of(4.26));
        arrivals.put("api-3", OptionalDouble.empty());
        WriteArrivals write = new WriteArrivals(LocalTime.of(14, 3, 5, 250_000_000), "api-2",
                "demo-live/workflows/42", arrivals, Optional.empty());
        WriteArrivals failed = new WriteArrivals(LocalTime.of(9, 0), "api-1", "demo-live/workflows/7", Map.of(),
                Optional.of("HTTP 503"));

        assertThat(renderer.write(write))
                .isEqualTo("14:03:05  write on api-2 (demo-live/workflows/42): evicted on api-1 4.3 ms, api-3 not seen");
        assertThat(renderer.write(failed)).isEqualTo("09:00:00  write on api-1 (demo-live/workflows/7): failed, HTTP 503");
    }
}
