package io.cachebus.loadtest.measure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Quantiles of a Prometheus histogram, read from its cumulative {@code _bucket{le="..."}} counters as Prometheus's
 * {@code histogram_quantile} reads them: the bucket holding the rank is found, and the value is interpolated
 * linearly inside it (from 0 for the first bucket). A rank in the {@code +Inf} bucket gives the highest finite
 * bound, the most the buckets can say. Between two scrapes the difference of the counters is the histogram of
 * what happened in between.
 */
public final class BucketQuantiles {

    /** One bucket: its upper bound and how many observations were at most that. */
    public record Bucket(double upperBound, double cumulativeCount) {
    }

    private final List<Bucket> buckets;

    private BucketQuantiles(List<Bucket> buckets) {
        this.buckets = List.copyOf(buckets);
    }

    /**
     * The buckets of histogram {@code metric} (its base name: {@code metric_bucket} is read) in {@code scrape},
     * summed over every other label (several timers of one name, say per domain). Empty when the scrape has none.
     */
    public static BucketQuantiles of(PrometheusSamples scrape, String metric) {
        Map<Double, Double> byBound = new TreeMap<>();
        for (PrometheusSamples.Sample sample : scrape.samples()) {
            String bound = sample.labels().get("le");
            if (sample.name().equals(metric + "_bucket") && bound != null) {
                byBound.merge(parseBound(bound), sample.value(), Double::sum);
            }
        }
        List<Bucket> buckets = new ArrayList<>();
        byBound.forEach((bound, count) -> buckets.add(new Bucket(bound, count)));
        return new BucketQuantiles(buckets);
    }

    /** Sums several histograms of the same buckets (one per node, say) into one. */
    public static BucketQuantiles sum(List<BucketQuantiles> histograms) {
        Map<Double, Double> byBound = new TreeMap<>();
        histograms.forEach(h -> h.buckets.forEach(b -> byBound.merge(b.upperBound(), b.cumulativeCount(),
                Double::sum)));
        List<Bucket> buckets = new ArrayList<>();
        byBound.forEach((bound, count) -> buckets.add(new Bucket(bound, count)));
        return new BucketQuantiles(buckets);
    }

    public List<Bucket> buckets() {
        return buckets;
    }

    /** Observations in all (the {@code +Inf} bucket's count). */
    public double count() {
        return buckets.isEmpty() ? 0 : buckets.get(buckets.size() - 1).cumulativeCount();
    }

    /** The value at quantile {@code q} (0..1), in the histogram's unit; NaN when nothing was observed. */
    public double quantile(double q) {
        if (q < 0 || q > 1) {
            throw new IllegalArgumentException("a quantile is between 0 and 1, was " + q);
        }
        double total = count();
        if (total <= 0) {
            return Double.NaN;
        }
        double rank = q * total;
        double lowerBound = 0;
        double countBelow = 0;
        for (Bucket bucket : buckets) {
            if (bucket.cumulativeCount() >= rank) {
                if (Double.isInfinite(bucket.upperBound())) {
                    return lowerBound;
                }
                double inBucket = bucket.cumulativeCount() - countBelow;
                return inBucket <= 0 ? bucket.upperBound()
                        : lowerBound + (bucket.upperBound() - lowerBound) * (rank - countBelow) / inBucket;
            }
            lowerBound = bucket.upperBound();
            countBelow = bucket.cumulativeCount();
        }
        return lowerBound;
    }

    private static double parseBound(String bound) {
        return bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound);
    }
}
