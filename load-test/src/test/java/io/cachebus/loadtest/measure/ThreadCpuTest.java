package io.cachebus.loadtest.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ThreadCpuTest {

    private static String stat(long tid, String name, long user, long system) {
        return tid + " (" + name + ") S 1 4242 4242 0 -1 4194560 51234 0 12 0 " + user + " " + system
                + " 0 0 20 0 40 0 1000 6000000000 120000";
    }

    @Test
    void aThreadIsNamedAsTheKernelKnowsItWithItsDigitsAsN() {
        assertThat(ThreadCpu.parse(stat(7, "C2 CompilerThre", 120, 30)))
                .isEqualTo(new ThreadCpu.NamedTicks("CN CompilerThre", 150));
        assertThat(ThreadCpu.parse(stat(8, "lettuce-timer-3-1", 2, 1)).name()).isEqualTo("lettuce-timer-N-N");
        assertThatThrownBy(() -> ThreadCpu.parse("8 no name")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theCpuOfAPoolAddsUpUnderItsNameAndANewThreadCountsFromZero() {
        ThreadCpu.Snapshot before = new ThreadCpu.Snapshot(0, Map.of(
                1L, new ThreadCpu.NamedTicks("pool-N", 100),
                2L, new ThreadCpu.NamedTicks("pool-N", 50),
                3L, new ThreadCpu.NamedTicks("idle", 10)));
        ThreadCpu.Snapshot after = new ThreadCpu.Snapshot(2_000_000_000L, Map.of(
                1L, new ThreadCpu.NamedTicks("pool-N", 110),
                2L, new ThreadCpu.NamedTicks("pool-N", 54),
                3L, new ThreadCpu.NamedTicks("idle", 10),
                4L, new ThreadCpu.NamedTicks("new", 2)));

        Map<String, Double> millisPerSecond = ThreadCpu.millisPerSecond(before, after);

        // 14 ticks of 10 ms over 2 s, then 2 ticks, highest first; a thread that spent nothing is left out
        assertThat(List.copyOf(millisPerSecond.keySet())).containsExactly("pool-N", "new");
        assertThat(millisPerSecond.get("pool-N")).isCloseTo(70.0, within(1e-9));
        assertThat(millisPerSecond.get("new")).isCloseTo(10.0, within(1e-9));
    }

    @Test
    void secondsByNameAreTheTicksEachNameSpentWhateverTheTimeBetween() {
        ThreadCpu.Snapshot before = new ThreadCpu.Snapshot(0, Map.of(1L, new ThreadCpu.NamedTicks("pool-N", 100)));
        ThreadCpu.Snapshot after = new ThreadCpu.Snapshot(5_000_000_000L, Map.of(
                1L, new ThreadCpu.NamedTicks("pool-N", 130),
                2L, new ThreadCpu.NamedTicks("new", 7)));

        assertThat(ThreadCpu.secondsByName(before, after)).containsExactly(Map.entry("pool-N", 0.3),
                Map.entry("new", 0.07));
    }

    @Test
    void thisJvmsThreadsCanBeRead() {
        assertThat(ThreadCpu.take(ProcessHandle.current().pid()).threads()).isNotEmpty();
    }
}
