package io.cachebus.loadtest.measure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WindowCountersTest {

    private static PrometheusSamples lookups(double l1, double loader) {
        return PrometheusSamples.parse("cachebus_cache_lookups_total{domain=\"workflows\",tier=\"L1\"} " + l1 + "\n"
                + "cachebus_cache_lookups_total{domain=\"workflows\",tier=\"LOADER\"} " + loader + "\n");
    }

    @Test
    void onlyTheWindowsAddedCountNotWhatHappenedBetweenThem() {
        WindowCounters counters = new WindowCounters();

        // a measured slice: 90 hits and 10 misses; then the baseline's 50 misses, not added; then another slice
        counters.add(Optional.of(List.of(lookups(0, 0))), Optional.of(List.of(lookups(90, 10))));
        counters.add(Optional.of(List.of(lookups(90, 60))), Optional.of(List.of(lookups(180, 70))));

        PrometheusSamples measured = counters.perNode().orElseThrow().get(0);
        CacheLookups sums = CacheLookups.sumOf(List.of(measured));
        assertThat(sums.byTier()).containsEntry("L1", 180.0).containsEntry("LOADER", 20.0);
        assertThat(sums.hitRatio()).hasValue(0.9);
    }

    @Test
    void aSampleFirstSeenInTheWindowCountsFromZeroAndAFailedScrapeLeavesNothing() {
        WindowCounters counters = new WindowCounters();
        counters.add(Optional.of(List.of(PrometheusSamples.empty())), Optional.of(List.of(lookups(5, 1))));

        assertThat(CacheLookups.sumOf(counters.perNode().orElseThrow()).byTier()).containsEntry("L1", 5.0);

        counters.add(Optional.empty(), Optional.of(List.of(lookups(9, 1))));
        assertThat(counters.perNode()).isEmpty();
    }
}
