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
}
