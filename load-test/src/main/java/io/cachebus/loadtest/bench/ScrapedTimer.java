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
 * A latency timer the services measure themselves, read from scrapes of each of them around the slices of the load that
 * count, added up ({@link WindowCounters}): the nodes' propagation, {@code cachebus.eviction.propagation} (the commit
 * time an event carries to the eviction applied on the node), or the stage timers it splits into. The quantiles come
 * from the timer's histogram buckets over those slices; the max is the timer's own (a recent maximum, not the load's
 * alone). Absent, never guessed, when no scraped service exposes the timer.
 */
final class ScrapedTimer {

    static final String METRIC = "cachebus_eviction_propagation_seconds";
    /** Its last stretch, from the broadcast's send to applied ({@code cachebus.eviction.broadcast.delivery}). */
    static final String DELIVERY_METRIC = "cachebus_eviction_broadcast_delivery_seconds";
    /** The first stretch, in the invalidators: commit to the poll that returned the event. */
    static final String MUTATION_AGE_METRIC = "cachebus_invalidator_mutation_age_seconds";
    /** The middle stretch, in the invalidators: a poll's return to its batch's broadcast sent, one sample a batch. */
    static final String POLL_TO_BROADCAST_METRIC = "cachebus_invalidator_poll_to_broadcast_seconds";
    /** A write's step in its transaction on the node: the event encoded, the outbox row inserted. */
    static final String OUTBOX_RECORD_METRIC = "cachebus_outbox_record_seconds";
    /** A write's step between its commit and its response on the node: local evictions, the hand-over to Kafka. */
    static final String OUTBOX_AFTER_COMMIT_METRIC = "cachebus_outbox_after_commit_seconds";

    private ScrapedTimer() {
    }

    /**
     * The timer {@code metric} (as Prometheus names it) over windows of time whose scrapes were added up: the quantiles
     * and counts from {@code windowSums}, the max from {@code lastScrape} (a gauge, which no sum of windows keeps).
     * Both are lists of {@code nodes}' scrapes in order. Empty when no node exposes the timer.
     */
    static Optional<ScrapedLatency> overWindows(List<URI> nodes, List<PrometheusSamples> windowSums,
            List<PrometheusSamples> lastScrape, String metric) {
        if (windowSums.stream().noneMatch(scrape -> has(scrape, metric + "_count"))) {
            return Optional.empty();
        }
        List<ProcessLatency> perNode = new ArrayList<>();
        List<BucketQuantiles> histograms = new ArrayList<>();
        Double max = null;
        long samples = 0;
        for (int i = 0; i < nodes.size(); i++) {
            BucketQuantiles histogram = BucketQuantiles.of(windowSums.get(i), metric);
            long count = Math.round(windowSums.get(i).sum(metric + "_count"));
            Double nodeMax = maxOf(lastScrape.get(i), metric);
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
