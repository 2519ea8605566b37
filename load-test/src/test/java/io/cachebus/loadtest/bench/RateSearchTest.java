package io.cachebus.loadtest.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.loadtest.profile.Profile;
import io.cachebus.loadtest.report.NodeReadFigures.RateStep;
import io.cachebus.loadtest.report.NodeReadFigures.SustainedRate;
import io.cachebus.loadtest.workload.VirtualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateSearchTest {

    private static final Profile.ReadThroughput SETTINGS = new Profile.ReadThroughput(Duration.ofMillis(20),
            Duration.ofMillis(200), 100, 100_000, 1, Duration.ofSeconds(2), 1, Duration.ofMillis(200));

    @Test
    void aProbedSearchStartsAtHalfTheSaturatedRateNeverBelowTheStartAndNeverAboveTheMaximum() {
        RateSearch search = new RateSearch(SETTINGS, 16, new VirtualClock(), step -> { });

        assertThat(search.startAfterProbe(1_001)).isEqualTo(500);
        assertThat(search.startAfterProbe(50)).isEqualTo(100);
        assertThat(search.startAfterProbe(1_000_000)).isEqualTo(100_000);
    }

    @Test
    void aProbedSearchDoublesAtMostTwiceEvenWhenEveryRateHolds() throws InterruptedException {
        VirtualClock clock = new VirtualClock();
        List<RateStep> steps = new ArrayList<>();
        RateSearch search = new RateSearch(SETTINGS, 16, clock, steps::add);

        SustainedRate rate = search.searchFromProbe(sequence -> CompletableFuture.completedFuture(true), 1_000);

        assertThat(steps).extracting(RateStep::offeredRps).containsExactly(500.0, 1_000.0, 2_000.0);
        assertThat(rate.readsPerS()).isEqualTo(2_000.0);
    }

    @Test
    void theProbeCountsWhatCompletedWithinItsWindowAtTheMaximumRate() throws InterruptedException {
        VirtualClock clock = new VirtualClock();
        RateSearch search = new RateSearch(SETTINGS, 1, clock, step -> { });

        // one read at a time, each 2 ms: 500 reads/s whatever is offered
        double saturated = search.probe(sequence -> {
            clock.now += 2_000_000L;
            return CompletableFuture.completedFuture(true);
        });

        assertThat(saturated).isEqualTo(500.0);
    }

    @Test
    void aReaderStillWarmingUpIsProbedAgainUntilItsRateSettles() throws InterruptedException {
        VirtualClock clock = new VirtualClock();
        RateSearch search = new RateSearch(SETTINGS, 1, clock, step -> { });
        AtomicLong reads = new AtomicLong();

        // the first 20 reads cost 10 ms (a path not compiled yet), the rest 2 ms: 100 reads/s in the first probe,
        // 500 in the second, 500 in the third, which settles it
        double saturated = search.probe(sequence -> {
            clock.now += reads.getAndIncrement() < 20 ? 10_000_000L : 2_000_000L;
            return CompletableFuture.completedFuture(true);
        });

        assertThat(saturated).isEqualTo(500.0);
        assertThat(reads.get()).as("three probes of 200 ms, no fourth").isEqualTo(20 + 100 + 100);
    }

    @Test
    void probesStopAtTheirMaximumWhileTheRateStillGrows() throws InterruptedException {
        VirtualClock clock = new VirtualClock();
        RateSearch search = new RateSearch(SETTINGS, 1, clock, step -> { });
        AtomicLong reads = new AtomicLong();

        // each read 0.1 ms faster than the one before: every probe completes far more than the last
        long start = clock.now;
        search.probe(sequence -> {
            clock.now += Math.max(1_000_000L, 10_000_000L - reads.getAndIncrement() * 100_000L);
            return CompletableFuture.completedFuture(true);
        });

        assertThat(clock.now - start).as("four probes of 200 ms, no fifth")
                .isBetween(4 * 200_000_000L, 4 * 200_000_000L + 10_000_000L);
    }

    @Test
    void aSearchWhoseStartFailsHalvesUntilARateHoldsAndThenBisectsAsOneThatWentUp() throws InterruptedException {
        VirtualClock clock = new VirtualClock();
        List<RateStep> steps = new ArrayList<>();
        RateSearch search = new RateSearch(SETTINGS, 1, clock, steps::add);

        // one read at a time, each 3 ms: about 333 reads/s hold, anything above queues past the 20 ms budget
        SustainedRate rate = search.searchFromProbe(sequence -> {
            clock.now += 3_000_000L;
            return CompletableFuture.completedFuture(true);
        }, 2_000);

        assertThat(steps).extracting(RateStep::offeredRps).containsExactly(1_000.0, 500.0, 250.0, 375.0);
        assertThat(steps).extracting(RateStep::held).containsExactly(false, false, true, false);
        assertThat(rate.readsPerS()).isEqualTo(250.0);
    }
}
