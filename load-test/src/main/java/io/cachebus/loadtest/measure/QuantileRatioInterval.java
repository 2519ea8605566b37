package io.cachebus.loadtest.measure;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * How far a ratio of two latency quantiles could move by chance: a percentile bootstrap. Each resample draws as many
 * values as each histogram holds from that histogram (with replacement), takes the quantile of each, and divides; the
 * interval is the middle 95 % of those ratios. A p99 of a few hundred writes rests on its few slowest ones, so two
 * runs of the same build can put the same ratio on either side of a target; the interval says how wide that is. The
 * resamples use a fixed seed, so one report always gives one interval.
 */
public final class QuantileRatioInterval {

    /** The number of resamples: enough for the 2.5th and 97.5th percentiles of the ratios to settle. */
    public static final int RESAMPLES = 2_000;
    private static final long SEED = 20261207L;

    /**
     * @param ratio the quantile of the numerator's values over the denominator's
     * @param low   2.5th percentile of the resampled ratios
     * @param high  97.5th percentile of the resampled ratios
     */
    public record Interval(double ratio, double low, double high) {
    }

    private QuantileRatioInterval() {
    }

    /**
     * The ratio of {@code percentile} (0..100) of {@code numerator} over that of {@code denominator}, with its 95 %
     * bootstrap interval; null when either histogram is empty or the denominator's quantile is 0.
     */
    public static Interval of(Histogram numerator, Histogram denominator, double percentile) {
        long[] top = values(numerator);
        long[] bottom = values(denominator);
        if (top.length == 0 || bottom.length == 0) {
            return null;
        }
        long bottomQuantile = quantile(bottom, percentile);
        if (bottomQuantile == 0) {
            return null;
        }
        SplittableRandom random = new SplittableRandom(SEED);
        double[] ratios = new double[RESAMPLES];
        long[] topDraw = new long[top.length];
        long[] bottomDraw = new long[bottom.length];
        for (int i = 0; i < RESAMPLES; i++) {
            long resampledBottom = quantile(draw(bottom, bottomDraw, random), percentile);
            // a resample of only zeros has no ratio; count it as the largest the top could be over one microsecond
            ratios[i] = (double) quantile(draw(top, topDraw, random), percentile) / Math.max(1, resampledBottom);
        }
        Arrays.sort(ratios);
        return new Interval((double) quantile(top, percentile) / bottomQuantile, ratios[(int) (RESAMPLES * 0.025)],
                ratios[(int) Math.ceil(RESAMPLES * 0.975) - 1]);
    }

    /** Every recorded value once per count, in ascending order. */
    static long[] values(Histogram histogram) {
        long[] values = new long[Math.toIntExact(histogram.getTotalCount())];
        int next = 0;
        for (HistogramIterationValue recorded : histogram.recordedValues()) {
            long value = histogram.highestEquivalentValue(recorded.getValueIteratedTo());
            for (long n = 0; n < recorded.getCountAtValueIteratedTo(); n++) {
                values[next++] = value;
            }
        }
        return values;
    }

    /** The value at {@code percentile} of ascending {@code values}, as HdrHistogram ranks it (the smallest value at or above that share). */
    static long quantile(long[] sorted, double percentile) {
        int rank = (int) Math.ceil(sorted.length * percentile / 100.0);
        return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
    }

    /** {@code into}, filled with values drawn from {@code from} with replacement, sorted. */
    private static long[] draw(long[] from, long[] into, SplittableRandom random) {
        for (int i = 0; i < into.length; i++) {
            into[i] = from[random.nextInt(from.length)];
        }
        Arrays.sort(into);
        return into;
    }
}
