package io.cachebus.loadtest.measure;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CpuIdleTest {

    private static final String BEFORE = """
            cpu  100 0 50 1000 10 0 0 0 0 0
            cpu0 60 0 30 500 5 0 0 0 0 0
            cpu1 40 0 20 500 5 0 0 0 0 0
            """;
    private static final String AFTER = """
            cpu  200 0 60 1180 10 0 0 0 0 0
            cpu0 150 0 35 510 5 0 0 0 0 0
            cpu1 50 0 25 670 5 0 0 0 0 0
            """;

    @Test
    void theIdleShareOfOneCpuIsItsIdleAndIowaitTicksOverAllOfItsTicks() {
        long[] before = CpuIdle.ticks(BEFORE, 1).orElseThrow();
        long[] after = CpuIdle.ticks(AFTER, 1).orElseThrow();

        // cpu1: 170 idle ticks of 185; cpu0: 10 of 105 ("cpu1 " is not read as "cpu10")
        assertThat(CpuIdle.idleShare(before, after)).isEqualTo(170.0 / 185);
        assertThat(CpuIdle.idleShare(CpuIdle.ticks(BEFORE, 0).orElseThrow(), CpuIdle.ticks(AFTER, 0).orElseThrow()))
                .isEqualTo(10.0 / 105);
        assertThat(CpuIdle.ticks(BEFORE, 7)).isEmpty();
    }

    @Test
    void theWaitEndsAfterOneWindowOnceTheShareIsReachedAndEmptyAtItsLimitOtherwise() throws InterruptedException {
        // the machine's CPUs are not this test's to keep busy or idle: ask for what every CPU has
        assertThat(CpuIdle.awaitQuiet(0, 0, Duration.ofMillis(50), Duration.ofSeconds(5)))
                .hasValueSatisfying(waited -> assertThat(waited).isLessThan(Duration.ofSeconds(1)));
        assertThat(CpuIdle.awaitQuiet(7_777, 0, Duration.ofMillis(50), Duration.ofSeconds(1)))
                .as("a CPU the machine does not have").isEmpty();
    }

    @Test
    void aWindowIsQuietWhenIdleEnoughOrAsIdleAsTheOneBefore() {
        assertThat(CpuIdle.quiet(0.95, Double.NaN, 0.9)).isTrue();
        assertThat(CpuIdle.quiet(0.6, Double.NaN, 0.9)).as("the first window has nothing to agree with").isFalse();
        assertThat(CpuIdle.quiet(0.6, 0.3, 0.9)).as("still working something off").isFalse();
        assertThat(CpuIdle.quiet(0.82, 0.8, 0.9)).as("steady: the background of the processes there").isTrue();
    }
}
