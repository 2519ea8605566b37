package io.cachebus.loadtest.bench;

import static io.cachebus.loadtest.bench.ThreadCpuPerWriteTest.threads;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ThreadCpuPerUnitTest {

    @Test
    void eachThreadPerUnitTheLargestFirstWithTheSmallOnesAddedUp() {
        // 50 units (50,000 events): 0.5 s of CPU is 10 ms per unit
        Map<String, Map<String, Double>> seconds = Map.of("api-1", threads("gc", 0.002, "evictions", 0.5,
                "compiler", 0.25, "timer", 0.003));

        assertThat(ThreadCpuPerUnit.of(seconds, 50, 0.1).get("api-1")).containsExactly(Map.entry("evictions", 10.0),
                Map.entry("compiler", 5.0), Map.entry(ThreadCpuPerWrite.OTHER_THREADS, 0.1));
    }

    @Test
    void aProcessWhoseThreadsAreAllSmallIsOnlyItsOtherThreadsAndWithoutUnitsNothingIsGiven() {
        Map<String, Map<String, Double>> seconds = Map.of("redis", threads("redis-server", 0.001));

        assertThat(ThreadCpuPerUnit.of(seconds, 50, 0.1).get("redis"))
                .containsExactly(Map.entry(ThreadCpuPerWrite.OTHER_THREADS, 0.02));
        assertThat(ThreadCpuPerUnit.of(seconds, 0, 0.1)).isEmpty();
    }

    @Test
    void theConsoleNamesTheBusiestThreadsOfAllProcessesWithoutTheirOtherThreads() {
        Map<String, Map<String, Double>> perUnit = new LinkedHashMap<>();
        perUnit.put("api-1", threads("evictions", 2.5, ThreadCpuPerWrite.OTHER_THREADS, 9.0));
        perUnit.put("kafka", threads("data-plane", 4.0, "log-cleaner", 0.2));

        assertThat(InvalidatorThroughputPhase.busiest(perUnit))
                .isEqualTo("kafka/data-plane=4.0, api-1/evictions=2.5, kafka/log-cleaner=0.2");
    }
}
