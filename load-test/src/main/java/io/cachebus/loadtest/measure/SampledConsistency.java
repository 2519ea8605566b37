package io.cachebus.loadtest.measure;

import io.cachebus.client.internal.consistency.ConsistencySampler;
import java.util.List;

/**
 * The API nodes' own consistency sampling ({@link ConsistencySampler}), summed over the nodes: hits they checked
 * against the database, hits they found stale, samples they dropped. Set beside the harness's stale-read count, it
 * shows whether what the nodes measure in production agrees with what the harness proves from outside.
 */
public record SampledConsistency(double checked, double stale, double dropped) {

    public static final String CHECKED_METRIC = prometheusCounter(ConsistencySampler.CHECKED);
    public static final String STALE_METRIC = prometheusCounter(ConsistencySampler.STALE_HITS);
    public static final String DROPPED_METRIC = prometheusCounter(ConsistencySampler.DROPPED);

    public static SampledConsistency sumOf(List<PrometheusSamples> scrapes) {
        double checked = 0;
        double stale = 0;
        double dropped = 0;
        for (PrometheusSamples scrape : scrapes) {
            checked += scrape.sum(CHECKED_METRIC);
            stale += scrape.sum(STALE_METRIC);
            dropped += scrape.sum(DROPPED_METRIC);
        }
        return new SampledConsistency(checked, stale, dropped);
    }

    /** What the nodes counted since {@code earlier}, a scrape of the same nodes. */
    public SampledConsistency since(SampledConsistency earlier) {
        return new SampledConsistency(checked - earlier.checked, stale - earlier.stale, dropped - earlier.dropped);
    }

    /** Micrometer's name for a counter in the Prometheus exposition. */
    private static String prometheusCounter(String meterName) {
        return meterName.replace('.', '_') + "_total";
    }
}
