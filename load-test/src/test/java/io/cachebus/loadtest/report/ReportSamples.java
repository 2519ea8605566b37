package io.cachebus.loadtest.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reports for the tests: one with every figure, one with nothing measured. */
final class ReportSamples {

    private ReportSamples() {
    }

    /**
     * One hot domain's writes/s: 930 with cachebus against 1,000 with invalidation off; each write's CPU in two
     * processes, one of which only the writes with cachebus use, and in their threads.
     */
    static final HotDomainWriteRates HOT_DOMAIN_WRITES = new HotDomainWriteRates(930.0, 1_000.0, 0.93, 16, 4,
            "lt-h000", 9_300, 10_000, 10.0, 10.0, 0, orderedMap("api-1", 1.25, "invalidator-1", 0.5),
            Map.of("api-1", 1.0),
            Map.of("api-1", orderedMap("http-nio-N.N.N.", 1.0, "cachebusEvictio", 0.2, "CN CompilerThre", 0.3),
                    "invalidator-1", Map.of("cachebusInvalid", 0.5)),
            Map.of("api-1", orderedMap("http-nio-N.N.N.", 0.95, "cachebusEvictio", 0.0, "CN CompilerThre", 0.1),
                    "invalidator-1", Map.of("cachebusInvalid", 0.0)));

    /** Names and values in turn, in their order. */
    private static Map<String, Double> orderedMap(Object... nameThenValue) {
        Map<String, Double> map = new LinkedHashMap<>();
        for (int i = 0; i < nameThenValue.length; i += 2) {
            map.put((String) nameThenValue[i], (Double) nameThenValue[i + 1]);
        }
        return map;
    }

    static BenchReport complete() {
        return complete(Map.of("faults", List.of(Map.of("fault", "redis-killed")),
                HotDomainWriteRates.FIELD, HOT_DOMAIN_WRITES));
    }

    /** {@link #complete()} with other extension fields (a chaos run's, say). */
    static BenchReport complete(Map<String, Object> extensions) {
        return new BenchReport("quick", 9_000, 1_000,
                new BenchReport.ReadLatency(0.8, 4.5, 12.25),
                new BenchReport.WriteLatency(2.0, 9.0),
                new BenchReport.WriteLatency(1.9, 8.5),
                new BenchReport.PropagationLatency(4.2, 21.0, 48.0),
                100, 0L, 0.93, 12_000.0, 1_500.0,
                new BenchReport.PrefixInvalidation(
                        new BenchReport.StrategyCost(1_000_002, 1_000, 1_100.0, "scan", List.of(1_100.0)),
                        new BenchReport.StrategyCost(1_000_002, 1_000, 0.2, "generation", List.of(0.2))),
                120_000.0, 250.0, 13_000.0, 0.04,
                new NodeReadFigures.ScrapedLatency(3.0, 9.5, 12.0, 900, List.of(
                        new NodeReadFigures.ProcessLatency("http://127.0.0.1:8081", 3.0, 9.5, 12.0, 900))),
                new NodeReadFigures.Topology(List.of(new NodeReadFigures.ProcessPlacement("api-1", 4242,
                        List.of("api-1"))), "api-1 on core 1, load generator on core 0"),
                new NodeReadFigures.Dataset(1_000, 2_500_000L),
                Map.of("cached", Map.of("api-1", 0.31)),
                0,
                new BenchReport.PropagationDetail(300, 0, 2_000),
                new BenchReport.StaleReadCheck(8_000, 12, 0, null, List.of(), 7_900L, 0L, 3L, 1_000L, 0L),
                new BenchReport.LoadDetail(300, 299.5, 30, 20, 400, 3, 0.9, 1.0),
                Map.of(),
                new BenchReport.RunInfo("local cluster", "2026-01-01T00:00:00Z", 95.0, Map.of("cores", "2")),
                extensions);
    }

    static BenchReport nothingMeasured() {
        return new BenchReport("full", 0, 0,
                new BenchReport.ReadLatency(null, null, null),
                new BenchReport.WriteLatency(null, null),
                new BenchReport.WriteLatency(null, null),
                new BenchReport.PropagationLatency(null, null, null),
                100, null, null, null, null,
                new BenchReport.PrefixInvalidation(null, null),
                null, null, null, null, null, new NodeReadFigures.Topology(List.of(), null), null, null,
                0, null, null, null,
                Map.of("hit_ratio", "no metrics"),
                new BenchReport.RunInfo("deployment", "2026-01-01T00:00:00Z", 1.0, Map.of()),
                Map.of());
    }
}
