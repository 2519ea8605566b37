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
        // the machine's CPUs are not this test's to keep busy or idle: ask for what every CPU has, then for more
        // than any can have
        assertThat(CpuIdle.awaitQuiet(0, 0, Duration.ofMillis(50), Duration.ofSeconds(5)))
                .hasValueSatisfying(waited -> assertThat(waited).isLessThan(Duration.ofSeconds(1)));
        long started = System.nanoTime();
        assertThat(CpuIdle.awaitQuiet(0, 1.01, Duration.ofMillis(50), Duration.ofMillis(300))).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }
}
