package io.cachebus.loadtest.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoublePredicate;
import tools.jackson.databind.JsonNode;

/**
 * The performance targets of the project, checked against a written result (the JSON, not the objects it was
 * made from, so what is checked is exactly what was published). A figure that is missing or null makes its
 * target {@link Status#NOT_MEASURED}, never met.
 */
public final class TargetCheck {

    public enum Status { MET, MISSED, NOT_MEASURED }

    /** One target: what it requires, what was measured, and whether it holds. */
    public record Result(String target, String requirement, String measured, Status status) {
    }

    private TargetCheck() {
    }

    public static List<Result> evaluate(JsonNode report) {
        List<Result> results = new ArrayList<>();
        Double propagationP50 = number(report, "propagation_ms", "p50");
        Double propagationP99 = number(report, "propagation_ms", "p99");
        results.add(upperBound("propagation p50", propagationP50, 10, "ms"));
        results.add(upperBound("propagation p99", propagationP99, 50, "ms"));
        // the nodes' own timer, commit to applied, without the client's polling: what the speed targets are about
        results.add(upperBound("propagation in the nodes p50", number(report, "propagation_in_node_ms", "p50"), 5, "ms"));
        results.add(upperBound("propagation in the nodes p99", number(report, "propagation_in_node_ms", "p99"), 25,
                "ms"));

        Double stale = number(report, "stale_reads_beyond_bound");
        Double bound = number(report, "bound_ms");
        if (stale == null || bound == null) {
            results.add(notMeasured("stale reads", "0 beyond a bound of at most 100 ms"));
        } else {
            boolean met = stale == 0 && bound <= 100;
            results.add(new Result("stale reads", "0 beyond a bound of at most 100 ms",
                    format(stale) + " beyond " + format(bound) + " ms", met ? Status.MET : Status.MISSED));
        }

        // the invariant itself: what the nodes promise (cachebus.consistency.max-staleness), whatever the target's bound
        Double beyondNodesBound = number(report, "stale_read_check", "beyond_nodes_bound");
        Double nodesBound = number(report, "stale_read_check", "nodes_bound_ms");
        String promise = "0 beyond the bound the nodes enforce";
        results.add(beyondNodesBound == null || nodesBound == null
                ? notMeasured("stale reads, the nodes' own bound", promise)
                : new Result("stale reads, the nodes' own bound", promise, format(beyondNodesBound) + " beyond "
                        + format(nodesBound) + " ms", beyondNodesBound == 0 ? Status.MET : Status.MISSED));

        Double writeP99 = number(report, "write_latency_ms", "p99");
        Double baselineP99 = number(report, "write_latency_no_invalidation_ms", "p99");
        Double low = number(report, BenchReport.WRITE_P99_RATIO, "low");
        Double high = number(report, BenchReport.WRITE_P99_RATIO, "high");
        results.add(ratio("write p99 with invalidation", writeP99, baselineP99,
                "within 10% of the no-invalidation baseline", r -> r <= 1.10, "x the baseline"
                        + (low == null || high == null ? ""
                                : " (95% bootstrap interval " + format(low) + " to " + format(high) + "x)")));

        Double scanP50 = number(report, "prefix_invalidation_ms", "scan", "p50");
        Double defaultP50 = number(report, "prefix_invalidation_ms", "default", "p50");
        results.add(ratio("prefix invalidation, default vs scan", scanP50, defaultP50,
                "default at least 300x faster than scan at 1M keys", r -> r >= 300, "x faster"));

        Double eventsPerSecond = number(report, "invalidator_events_per_s");
        String throughputRequirement = ">= 100,000 events/s on one instance";
        results.add(eventsPerSecond == null
                ? notMeasured("invalidator throughput", throughputRequirement)
                : new Result("invalidator throughput", throughputRequirement, format(eventsPerSecond) + " events/s",
                        eventsPerSecond >= 100_000 ? Status.MET : Status.MISSED));

        Double cached = number(report, "cached_read_rps");
        Double uncached = number(report, "uncached_read_rps");
        Double ceiling = number(report, "ceiling_read_rps");
        results.add(ratio("cached reads against the node's ceiling", cached, ceiling,
                "at least 0.9x the ceiling (same stack, no cache, no database)", r -> r >= 0.9, "x the ceiling"));
        results.add(ratio("cached read throughput", cached, uncached, "at least 5x the uncached throughput",
                r -> r >= 5, "x uncached"));

        Double hotWritesWith = number(report, HotDomainWriteRates.FIELD, "with");
        Double hotWritesWithout = number(report, HotDomainWriteRates.FIELD, "without");
        results.add(ratio("hot (tenant, domain) write throughput", hotWritesWith, hotWritesWithout,
                "with cachebus at least 0.9x invalidation off", r -> r >= 0.9, "x invalidation off"));

        Double queriesPerRead = number(report, "db_queries_per_read");
        String perReadRequirement = "<= 0.1 on the mixed workload";
        results.add(queriesPerRead == null ? notMeasured("database queries per read", perReadRequirement)
                : new Result("database queries per read", perReadRequirement, format(queriesPerRead),
                        queriesPerRead <= 0.1 ? Status.MET : Status.MISSED));

        Double hitRatio = number(report, "hit_ratio");
        String hitRequirement = ">= 90% on the mixed workload";
        results.add(hitRatio == null ? notMeasured("hit ratio", hitRequirement)
                : new Result("hit ratio", hitRequirement, format(hitRatio * 100) + "%",
                        hitRatio >= 0.9 ? Status.MET : Status.MISSED));
        return results;
    }

    public static boolean allMet(List<Result> results) {
        return results.stream().allMatch(r -> r.status() == Status.MET);
    }

    private static Result upperBound(String target, Double value, double limit, String unit) {
        String requirement = "< " + format(limit) + " " + unit;
        if (value == null) {
            return notMeasured(target, requirement);
        }
        return new Result(target, requirement, format(value) + " " + unit, value < limit ? Status.MET : Status.MISSED);
    }

    private static Result ratio(String target, Double numerator, Double denominator, String requirement,
            DoublePredicate holds, String unit) {
        if (numerator == null || denominator == null || denominator <= 0) {
            return notMeasured(target, requirement);
        }
        double ratio = numerator / denominator;
        return new Result(target, requirement, format(ratio) + unit,
                holds.test(ratio) ? Status.MET : Status.MISSED);
    }

    private static Result notMeasured(String target, String requirement) {
        return new Result(target, requirement, "not measured", Status.NOT_MEASURED);
    }

    /** The number at {@code path}, or null when any part is missing or null. */
    private static Double number(JsonNode node, String... path) {
        JsonNode current = node;
        for (String part : path) {
            if (current == null || !current.isObject()) {
                return null;
            }
            current = current.get(part);
        }
        return current == null || !current.isNumber() ? null : current.doubleValue();
    }

    static String format(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return String.format(Locale.ROOT, "%,d", (long) value);
        }
        return String.format(Locale.ROOT, Math.abs(value) >= 100 ? "%,.0f" : Math.abs(value) >= 1 ? "%.2f" : "%.3f",
                value);
    }
}
