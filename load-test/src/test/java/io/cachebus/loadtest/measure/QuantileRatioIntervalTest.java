package io.cachebus.loadtest.measure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class QuantileRatioIntervalTest {

    private static Histogram histogram(long... micros) {
        Histogram histogram = new Histogram(60_000_000L, 3);
        for (long value : micros) {
            histogram.recordValue(value);
        }
        return histogram;
    }

    private static Histogram exponential(int count, double meanMicros, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Histogram histogram = new Histogram(60_000_000L, 3);
        for (int i = 0; i < count; i++) {
            histogram.recordValue(1 + (long) (-meanMicros * Math.log(1 - random.nextDouble())));
        }
        return histogram;
    }

    @Test
    void theQuantileIsTheOneHdrHistogramReports() {
        Histogram latencies = exponential(1_337, 5_000, 1);
        long[] values = QuantileRatioInterval.values(latencies);

        assertThat(values).hasSize(1_337).isSorted();
        for (double percentile : new double[] {1, 50, 90, 99, 99.9, 100}) {
            assertThat(QuantileRatioInterval.quantile(values, percentile)).as("p%s", percentile)
                    .isEqualTo(latencies.getValueAtPercentile(percentile));
        }
    }

    @Test
    void theSameDistributionTwiceGivesAnIntervalAroundOne() {
        QuantileRatioInterval.Interval interval = QuantileRatioInterval.of(exponential(20_000, 5_000, 2),
                exponential(20_000, 5_000, 3), 99);

        assertThat(interval.low()).isLessThan(1.0).isGreaterThan(0.85);
        assertThat(interval.high()).isGreaterThan(1.0).isLessThan(1.15);
        assertThat(interval.ratio()).isBetween(interval.low(), interval.high());
    }

    @Test
    void aP99OfAFewHundredValuesIsWideAndItsIntervalSaysSo() {
        Histogram few = exponential(600, 5_000, 4);
        Histogram many = exponential(20_000, 5_000, 5);

        QuantileRatioInterval.Interval fromFew = QuantileRatioInterval.of(many, few, 99);
        QuantileRatioInterval.Interval fromMany = QuantileRatioInterval.of(many, exponential(20_000, 5_000, 6), 99);

        assertThat(fromFew.high() - fromFew.low()).isGreaterThan(2 * (fromMany.high() - fromMany.low()));
    }

    @Test
    void oneReportAlwaysGivesOneInterval() {
        Histogram with = exponential(1_000, 7_000, 7);
        Histogram without = exponential(500, 5_000, 8);

        assertThat(QuantileRatioInterval.of(with, without, 99)).isEqualTo(QuantileRatioInterval.of(with, without, 99));
    }

    @Test
    void nothingToCompareGivesNoInterval() {
        assertThat(QuantileRatioInterval.of(histogram(), histogram(5, 6), 99)).isNull();
        assertThat(QuantileRatioInterval.of(histogram(5, 6), histogram(), 99)).isNull();
        assertThat(QuantileRatioInterval.of(histogram(5, 6), histogram(0, 0), 99)).isNull();
    }
}
