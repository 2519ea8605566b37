package io.cachebus.loadtest.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ThreadCpuPerWriteTest {

    /** Thread names and figures in turn, in that order (also {@link ThreadCpuPerUnitTest}'s). */
    static Map<String, Double> threads(Object... nameThenSeconds) {
        Map<String, Double> threads = new LinkedHashMap<>();
        for (int i = 0; i < nameThenSeconds.length; i += 2) {
            threads.put((String) nameThenSeconds[i], (Double) nameThenSeconds[i + 1]);
        }
        return threads;
    }

    @Test
    void bothKindsNameTheSameThreadsTheLargestFirstWithTheSmallOnesAddedUp() {
        // 1,000 writes each: a second of CPU is a millisecond per write
        Map<String, Map<String, Double>> with = Map.of("api-1", threads("http", 2.0, "evictions", 0.5,
                "timer", 0.004, "gc", 0.003));
        Map<String, Map<String, Double>> without = Map.of("api-1", threads("http", 1.8, "compiler", 0.02,
                "gc", 0.002));

        ThreadCpuPerWrite.Compared compared = ThreadCpuPerWrite.of(with, 1_000, without, 1_000);

        // evictions is listed at 0 where it did nothing; compiler at 0 where it did nothing, by its other kind
        assertThat(compared.first().get("api-1")).containsExactly(Map.entry("http", 2.0), Map.entry("evictions", 0.5),
                Map.entry("compiler", 0.0), Map.entry(ThreadCpuPerWrite.OTHER_THREADS, 0.007));
        assertThat(compared.second().get("api-1")).containsExactly(Map.entry("http", 1.8),
                Map.entry("evictions", 0.0), Map.entry("compiler", 0.02),
                Map.entry(ThreadCpuPerWrite.OTHER_THREADS, 0.002));
    }

    @Test
    void eachKindIsDividedByItsOwnWritesAndOnlyProcessesReadInBothAreCompared() {
        ThreadCpuPerWrite.Compared compared = ThreadCpuPerWrite.of(
                Map.of("api-1", threads("http", 3.0), "kafka", threads("io", 1.0)), 2_000,
                Map.of("api-1", threads("http", 3.0)), 3_000);

        assertThat(compared.first()).containsOnlyKeys("api-1");
        assertThat(compared.first().get("api-1")).containsExactly(Map.entry("http", 1.5));
        assertThat(compared.second().get("api-1")).containsExactly(Map.entry("http", 1.0));
    }

    @Test
    void withoutWritesNothingIsCompared() {
        ThreadCpuPerWrite.Compared compared = ThreadCpuPerWrite.of(Map.of("api-1", threads("http", 3.0)), 0,
                Map.of("api-1", threads("http", 3.0)), 10);

        assertThat(compared.first()).isEmpty();
        assertThat(compared.second()).isEmpty();
    }
}
