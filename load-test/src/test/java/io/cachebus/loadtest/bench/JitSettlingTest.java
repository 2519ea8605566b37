package io.cachebus.loadtest.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.cachebus.loadtest.measure.ThreadCpu;
import io.cachebus.loadtest.report.HotDomainWarmup;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JitSettlingTest {

    private static final Duration ROUND = Duration.ofSeconds(5);

    /** A round's thread CPU seconds in which the compilers took {@code compilers} of {@code all}. */
    private static Map<String, Map<String, Double>> round(double compilers, double all) {
        return Map.of("api-1", Map.of(ThreadCpu.JIT_COMPILERS, compilers, "http-nio-N.N.", all / 2 - compilers),
                "kafka", Map.of("data-plane-kafk", all / 2));
    }

    @Test
    void goesOnThroughTheLeastTimeThenUntilTheCompilersTakeAtMostTheSettledShare() {
        JitSettling settling = new JitSettling(Duration.ofSeconds(10), Duration.ofSeconds(60));

        assertThat(settling.goOn()).isTrue();
        settling.roundDone(ROUND, round(0.01, 1.0));
        assertThat(settling.goOn()).as("settled, but the least time is not over").isTrue();
        assertThat(settling.roundDone(ROUND, round(0.3, 1.0))).isCloseTo(0.3, within(1e-9));
        assertThat(settling.goOn()).as("the compilers still busy").isTrue();
        settling.roundDone(ROUND, round(0.06, 1.0));
        assertThat(settling.goOn()).as("just above the settled share").isTrue();
        settling.roundDone(ROUND, round(JitSettling.SETTLED_SHARE, 1.0));

        assertThat(settling.goOn()).isFalse();
        HotDomainWarmup report = settling.report();
        assertThat(report.rounds()).isEqualTo(4);
        assertThat(report.secondsEachKind()).isEqualTo(20.0);
        assertThat(report.jitCompilerShare()).isEqualTo(JitSettling.SETTLED_SHARE);
        assertThat(report.settled()).isTrue();
    }

    @Test
    void stopsAtTheLimitWhenTheCompilersNeverSettleAndSaysSo() {
        JitSettling settling = new JitSettling(Duration.ofSeconds(5), Duration.ofSeconds(10));

        int rounds = 0;
        while (settling.goOn()) {
            settling.roundDone(ROUND, round(0.4, 1.0));
            rounds++;
        }

        assertThat(rounds).as("the least time and the limit, in rounds").isEqualTo(3);
        assertThat(settling.report().settled()).isFalse();
        assertThat(settling.report().jitCompilerShare()).isEqualTo(0.4);
    }

    @Test
    void withoutThreadFiguresWaitsTheLeastTimeOnly() {
        JitSettling settling = new JitSettling(Duration.ofSeconds(10), Duration.ofSeconds(60));

        settling.roundDone(ROUND, Map.of());
        assertThat(settling.goOn()).isTrue();
        assertThat(Double.isNaN(settling.roundDone(ROUND, Map.of()))).isTrue();

        assertThat(settling.goOn()).isFalse();
        assertThat(settling.report().jitCompilerShare()).isNull();
        assertThat(settling.report().settled()).isNull();
    }

    @Test
    void noLeastTimeAndNoLimitMeansNoWarmUp() {
        JitSettling settling = new JitSettling(Duration.ZERO, Duration.ZERO);

        assertThat(settling.goOn()).isFalse();
        assertThat(settling.report()).isNull();
    }

    @Test
    void aLimitAloneGivesOneRoundAtLeast() {
        JitSettling settling = new JitSettling(Duration.ZERO, Duration.ofSeconds(1));

        assertThat(settling.goOn()).isTrue();
        settling.roundDone(Duration.ofSeconds(1), round(0.5, 1.0));
        assertThat(settling.goOn()).isFalse();
    }
}
