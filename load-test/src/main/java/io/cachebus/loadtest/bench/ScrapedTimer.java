package io.cachebus.loadtest.bench;

import io.cachebus.loadtest.measure.BucketQuantiles;
import io.cachebus.loadtest.measure.PrometheusSamples;
import io.cachebus.loadtest.measure.WindowCounters;
import io.cachebus.loadtest.report.NodeReadFigures.ScrapedLatency;
import io.cachebus.loadtest.report.NodeReadFigures.ProcessLatency;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A latency timer the services measure themselves, read from two scrapes of each of them around the load: by default
 * the nodes' propagation, {@code cachebus.eviction.propagation} (the commit time an event carries to the eviction
 * applied on the node), or the stage timers it splits into. The quantiles come from the timer's histogram buckets over
 * the load; the max is the timer's own (a recent maximum, not the load's alone). Absent, never guessed, when no
 * scraped service exposes the timer.
 */
final class ScrapedTimer {

    static final String METRIC = "cachebus_eviction_propagation_seconds";
    /** Its last stretch, from the broadcast's send to applied ({@code cachebus.eviction.broadcast.delivery}). */
    static final String DELIVERY_METRIC = "cachebus_eviction_broadcast_delivery_seconds";
    /** The first stretch, in the invalidators: commit to the poll that returned the event. */
    static final String MUTATION_AGE_METRIC = "cachebus_invalidator_mutation_age_seconds";

    private ScrapedTimer() {
    }

    /** Empty when no node exposes the timer; {@code before} and {@code after} are scrapes of {@code nodes} in order. */
    static Optional<ScrapedLatency> between(List<URI> nodes, List<PrometheusSamples> before,
            List<PrometheusSamples> after) {
        return between(nodes, before, after, METRIC);
    }

    /** {@link #between(List, List, List)} for another timer of the nodes, {@code metric} as Prometheus names it. */
    static Optional<ScrapedLatency> between(List<URI> nodes, List<PrometheusSamples> before,
            List<PrometheusSamples> after, String metric) {
        return of(nodes, before, after, after, metric);
    }

    /**
     * The timer over windows of time whose scrapes were added up ({@link io.cachebus.loadtest.measure.WindowCounters}):
     * the quantiles and counts from {@code windowSums}, the max from {@code lastScrape} (a gauge, which no sum of
     * windows keeps).
     */
    static Optional<ScrapedLatency> overWindows(List<URI> nodes, List<PrometheusSamples> windowSums,
            List<PrometheusSamples> lastScrape, String metric) {
        return of(nodes, WindowCounters.zeros(nodes.size()), windowSums, lastScrape, metric);
    }

    private static Optional<ScrapedLatency> of(List<URI> nodes, List<PrometheusSamples> before,
            List<PrometheusSamples> after, List<PrometheusSamples> maxes, String metric) {
        if (after.stream().noneMatch(scrape -> has(scrape, metric + "_count"))) {
            return Optional.empty();
        }
        List<ProcessLatency> perNode = new ArrayList<>();
        List<BucketQuantiles> histograms = new ArrayList<>();
        Double max = null;
        long samples = 0;
        for (int i = 0; i < nodes.size(); i++) {
            BucketQuantiles histogram = BucketQuantiles.of(after.get(i), metric)
                    .since(BucketQuantiles.of(before.get(i), metric));
            long count = Math.round(after.get(i).sum(metric + "_count") - before.get(i).sum(metric + "_count"));
            Double nodeMax = maxOf(maxes.get(i), metric);
            perNode.add(new ProcessLatency(nodes.get(i).toString(), millis(histogram.quantile(0.5)),
                    millis(histogram.quantile(0.99)), nodeMax, count));
            histograms.add(histogram);
            samples += count;
            if (nodeMax != null) {
                max = max == null ? nodeMax : Math.max(max, nodeMax);
            }
        }
        BucketQuantiles all = BucketQuantiles.sum(histograms);
        return Optional.of(new ScrapedLatency(millis(all.quantile(0.5)), millis(all.quantile(0.99)), max, samples,
                perNode));
    }

    private static Double maxOf(PrometheusSamples scrape, String metric) {
        return scrape.samples().stream().filter(sample -> sample.name().equals(metric + "_max"))
                .map(sample -> Rounding.thousandths(sample.value() * 1000)).max(Double::compare).orElse(null);
    }

    private static boolean has(PrometheusSamples scrape, String name) {
        return scrape.samples().stream().anyMatch(sample -> sample.name().equals(name));
    }

    /** Seconds as milliseconds; null for NaN (nothing observed, or no buckets published). */
    private static Double millis(double seconds) {
        return Double.isNaN(seconds) ? null : Rounding.thousandths(seconds * 1000);
    }
}
