package io.cachebus.loadtest.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MarkdownSummaryTest {

    private static Map<String, Object> fault(String name, double maxStalenessMs, Boolean withinBound,
            Long dbReadsInWindow) {
        Map<String, Object> fault = new LinkedHashMap<>();
        fault.put(FaultFields.FAULT, name);
        fault.put(FaultFields.CLIENT_ERRORS, 0L);
        fault.put(FaultFields.LOST_INVALIDATIONS, 0L);
        fault.put(FaultFields.STALE_OUTSIDE_WINDOW, 2L);
        fault.put(FaultFields.MAX_STALENESS_IN_WINDOW_MS, maxStalenessMs);
        if (withinBound != null) {
            fault.put(FaultFields.STALENESS_IN_WINDOW_MET, withinBound);
        }
        fault.put(FaultFields.RECOVERY_MS, 2_345L);
        fault.put(FaultFields.WINDOW_MS, 8_012L);
        if (dbReadsInWindow != null) {
            fault.put(FaultFields.DB_READS_IN_WINDOW, dbReadsInWindow);
            fault.put(FaultFields.DB_READS_THROUGH_BOUND_IN_WINDOW, 700L);
            fault.put(FaultFields.DB_READS_STEADY, 150L);
        }
        return fault;
    }

    private static String render(Map<String, Object> extensions) {
        return MarkdownSummary.render(ReportSamples.complete(extensions), List.of(), "chart.png", "bench");
    }

    @Test
    void eachFaultShowsItsLongestStalenessAgainstTheNodesBoundAndTheDatabaseReadsItCost() {
        String md = render(Map.of(
                FaultFields.MAX_STALENESS_BOUND_MS, 1_000L,
                FaultFields.STALENESS_BOUND_ENFORCED, true,
                FaultFields.FAULTS, List.of(
                        fault("kafka_stopped", 1_080.5, true, 1_200L),
                        fault("overload", 1_650.0, false, 4_000L),
                        fault("redis_killed", 12.0, true, null))));

        assertThat(md).contains("## Faults").contains("Staleness bound the API nodes enforce: 1000 ms.")
                .doesNotContain("not enforced")
                .contains("| `kafka_stopped` | 0 | 0 | 2 | 1,081 | met | 1,200 / 150 (700) | 8,012 | 2,345 |")
                .contains("| `overload` | 0 | 0 | 2 | 1,650 | **missed** | 4,000 / 150 (700) |")
                .contains("| `redis_killed` | 0 | 0 | 2 | 12 | met | not measured |");
    }

    @Test
    void saysWhenTheNodesDidNotEnforceTheBoundOrItIsUnknown() {
        assertThat(render(Map.of(FaultFields.MAX_STALENESS_BOUND_MS, 1_000L,
                FaultFields.STALENESS_BOUND_ENFORCED, false,
                FaultFields.FAULTS, List.of(fault("kafka_stopped", 5.0, true, 10L)))))
                .contains("1000 ms (**not enforced**: `cachebus.consistency.enforce` is false)");
        assertThat(render(Map.of(FaultFields.FAULTS, List.of(fault("kafka_stopped", 5.0, null, 10L)))))
                .contains("Staleness bound the API nodes enforce: not measured")
                .contains("| `kafka_stopped` | 0 | 0 | 2 | 5 | not measured |");
    }

    @Test
    void aRunWithoutFaultsHasNoFaultSection() {
        assertThat(render(Map.of())).doesNotContain("## Faults");
    }
}
