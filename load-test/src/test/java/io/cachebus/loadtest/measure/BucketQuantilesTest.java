package io.cachebus.loadtest.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class BucketQuantilesTest {

    /** Two timers of one name (two domains), as Micrometer exposes a timer with a percentile histogram. */
    private static PrometheusSamples scrape(double... countsPerBound) {
        String template = """
                # TYPE cachebus_eviction_propagation_seconds histogram
                cachebus_eviction_propagation_seconds_bucket{domain="workflows",le="0.001"} %s
                cachebus_eviction_propagation_seconds_bucket{domain="workflows",le="0.005"} %s
                cachebus_eviction_propagation_seconds_bucket{domain="workflows",le="0.01"} %s
                cachebus_eviction_propagation_seconds_bucket{domain="workflows",le="+Inf"} %s
                cachebus_eviction_propagation_seconds_bucket{domain="notifications",le="0.001"} 0
                cachebus_eviction_propagation_seconds_bucket{domain="notifications",le="0.005"} 0
                cachebus_eviction_propagation_seconds_bucket{domain="notifications",le="0.01"} 10
                cachebus_eviction_propagation_seconds_bucket{domain="notifications",le="+Inf"} 10
                cachebus_eviction_propagation_seconds_count{domain="workflows"} %s
                cachebus_eviction_propagation_seconds_max{domain="workflows"} 0.02
                """;
        Object[] values = new Object[5];
        for (int i = 0; i < 4; i++) {
            values[i] = countsPerBound[i];
        }
        values[4] = countsPerBound[3];
        return PrometheusSamples.parse(template.formatted(values));
    }

    @Test
    void bucketsOfEveryLabelAreSummedAndTheRankIsInterpolatedInsideItsBucket() {
        // 100 at most 1 ms, 80 more up to 5 ms; with the other domain's 10 up to 10 ms: 200 in all
        BucketQuantiles histogram = BucketQuantiles.of(scrape(100, 180, 190, 190), "cachebus_eviction_propagation_seconds");

        assertThat(histogram.count()).isEqualTo(200);
        assertThat(histogram.quantile(0.5)).isCloseTo(0.001, within(1e-12)); // rank 100: the top of the first bucket
        assertThat(histogram.quantile(0.25)).isCloseTo(0.0005, within(1e-12)); // rank 50: half way from 0
        assertThat(histogram.quantile(0.7)).isCloseTo(0.001 + 0.004 * 40 / 80, within(1e-12));
        assertThat(histogram.quantile(0.99)).isCloseTo(0.005 + 0.005 * 18 / 20, within(1e-12));
    }

    @Test
    void aRankInTheInfiniteBucketGivesTheHighestFiniteBound() {
        BucketQuantiles histogram = BucketQuantiles.of(scrape(0, 0, 0, 50), "cachebus_eviction_propagation_seconds");

        assertThat(histogram.quantile(0.99)).isEqualTo(0.01);
    }

    @Test
    void theDifferenceOfTwoScrapesIsWhatWasObservedInBetween() {
        PrometheusSamples before = scrape(100, 100, 100, 100);
        PrometheusSamples after = scrape(100, 150, 160, 160);

        BucketQuantiles between = BucketQuantiles.of(after.since(before), "cachebus_eviction_propagation_seconds");

        assertThat(between.count()).isEqualTo(60);
        assertThat(between.quantile(0.5)).isCloseTo(0.001 + 0.004 * 30 / 50, within(1e-12));
    }

    @Test
    void nodesAreSummedBoundByBoundAndNothingObservedHasNoQuantile() {
        BucketQuantiles one = BucketQuantiles.of(scrape(10, 10, 10, 10), "cachebus_eviction_propagation_seconds");
        BucketQuantiles two = BucketQuantiles.of(scrape(0, 10, 10, 10), "cachebus_eviction_propagation_seconds");

        assertThat(BucketQuantiles.sum(List.of(one, two)).count()).isEqualTo(40);
        assertThat(BucketQuantiles.of(PrometheusSamples.parse("up 1\n"), "absent").quantile(0.5)).isNaN();
        PrometheusSamples unchanged = scrape(10, 10, 10, 10);
        assertThat(BucketQuantiles.of(unchanged.since(unchanged), "cachebus_eviction_propagation_seconds")
                .quantile(0.99)).isNaN();
    }
}
