package io.cachebus.loadtest.bench;

import io.cachebus.loadtest.report.BenchReport;
import io.cachebus.loadtest.report.NodeReadFigures;
import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** The figures the phases of one run fill in; what stays empty is reported as not measured, with its reason. */
final class ResultSheet {

    long reads;
    long writes;
    long errors;
    Histogram readLatency;
    Histogram writeLatency;
    Histogram writeLatencyNoInvalidation;
    Histogram propagation;
    BenchReport.PropagationDetail propagationDetail;
    Long staleReadsBeyondBound;
    BenchReport.StaleReadCheck staleReadCheck;
    Double hitRatio;
    Double cachedReadRps;
    Double uncachedReadRps;
    Double ceilingReadRps;
    /** By kind of read, then by process label. */
    Map<String, Map<String, Double>> cpuPer1000Requests;
    Double dbQueriesPerRead;
    NodeReadFigures.ScrapedLatency propagationInNode;
    BenchReport.StrategyCost scanCost;
    BenchReport.StrategyCost defaultCost;
    Double invalidatorEventsPerS;
    Double coalescingRatio;
    BenchReport.LoadDetail load;
    final Map<String, String> notMeasured = new LinkedHashMap<>();
    /** Further top-level fields a phase adds (the fault list of a chaos run, say). */
    final Map<String, Object> extensions = new LinkedHashMap<>();

    void notMeasured(String figure, String reason) {
        notMeasured.put(figure, reason);
    }

    /** The latency distributions for the chart, by series name, those that were measured. */
    Map<String, Histogram> histograms() {
        Map<String, Histogram> series = new LinkedHashMap<>();
        put(series, "reads", readLatency);
        put(series, "writes", writeLatency);
        put(series, "writes, invalidation off", writeLatencyNoInvalidation);
        put(series, "propagation", propagation);
        return series;
    }

    private static void put(Map<String, Histogram> series, String name, Histogram histogram) {
        if (histogram != null) {
            series.put(name, histogram);
        }
    }
}
