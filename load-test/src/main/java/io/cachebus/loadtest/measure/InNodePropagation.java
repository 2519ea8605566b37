package io.cachebus.loadtest.measure;

import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * The propagation the API nodes time themselves ({@code cachebus.eviction.propagation}, a Micrometer timer with a
 * percentile histogram, exposed as {@code cachebus_eviction_propagation_seconds_bucket{le}}): from the commit of the
 * oldest mutation a compact broadcast covers until the node applied it. The buckets are summed over the nodes, and a
 * quantile is read from them as Prometheus's {@code histogram_quantile} does (linear within the bucket).
 *
 * @param cumulative per upper bound in seconds, how many broadcasts took at most that long (every node together)
 */
public record InNodePropagation(Map<Double, Double> cumulative) {

    public static final String BUCKETS = "cachebus_eviction_propagation_seconds_bucket";

    public InNodePropagation {
        cumulative = Map.copyOf(cumulative);
    }

    public static InNodePropagation sumOf(List<PrometheusSamples> scrapes) {
        Map<Double, Double> buckets = new TreeMap<>();
        for (PrometheusSamples scrape : scrapes) {
            scrape.sumBy(BUCKETS, "le").forEach((le, count) -> buckets.merge(upperBound(le), count, Double::sum));
        }
        return new InNodePropagation(buckets);
    }

    /** What was timed since {@code earlier}, a scrape of the same nodes. */
    public InNodePropagation since(InNodePropagation earlier) {
        Map<Double, Double> delta = new TreeMap<>();
        cumulative.forEach((le, count) -> delta.put(le, count - earlier.cumulative().getOrDefault(le, 0.0)));
        return new InNodePropagation(delta);
    }

    public double count() {
        return cumulative.getOrDefault(Double.POSITIVE_INFINITY, 0.0);
    }

    /** The {@code q} quantile in milliseconds; empty when nothing was timed. */
    public OptionalDouble quantileMs(double q) {
        double total = count();
        if (total <= 0) {
            return OptionalDouble.empty();
        }
        double rank = q * total;
        double lowerBound = 0;
        double lowerCount = 0;
        for (Map.Entry<Double, Double> bucket : new TreeMap<>(cumulative).entrySet()) {
            if (bucket.getValue() >= rank) {
                if (bucket.getKey().isInfinite()) {
                    return OptionalDouble.of(lowerBound * 1000);
                }
                double inBucket = bucket.getValue() - lowerCount;
                double fraction = inBucket <= 0 ? 1 : (rank - lowerCount) / inBucket;
                return OptionalDouble.of((lowerBound + (bucket.getKey() - lowerBound) * fraction) * 1000);
            }
            lowerBound = bucket.getKey();
            lowerCount = bucket.getValue();
        }
        return OptionalDouble.of(lowerBound * 1000);
    }

    private static double upperBound(String le) {
        return "+Inf".equals(le) ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
    }
}
