package io.cachebus.loadtest.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MarkdownSummaryTest {

    private static Map<String, Object> fault(String name, double maxStalenessMs, Boolean withinBound,
            Long dbReadsInWindow) {
        Map<String, Object> fault = new LinkedHashMap<>();
        fault.put(FaultFields.FAULT, name);
        fault.put(FaultFields.CLIENT_ERRORS, 0L);
        fault.put(FaultFields.LOST_INVALIDATIONS, 0L);
        fault.put(FaultFields.STALE_OUTSIDE_WINDOW, 2L);
        fault.put(FaultFields.MAX_STALENESS_IN_WINDOW_MS, maxStalenessMs);
        if (withinBound != null) {
            fault.put(FaultFields.STALENESS_IN_WINDOW_MET, withinBound);
        }
        fault.put(FaultFields.RECOVERY_MS, 2_345L);
        fault.put(FaultFields.WINDOW_MS, 8_012L);
        if (dbReadsInWindow != null) {
            fault.put(FaultFields.DB_READS_IN_WINDOW, dbReadsInWindow);
            fault.put(FaultFields.DB_READS_THROUGH_BOUND_IN_WINDOW, 700L);
            fault.put(FaultFields.DB_READS_STEADY, 150L);
        }
        return fault;
    }

    private static String render(Map<String, Object> extensions) {
        return MarkdownSummary.render(ReportSamples.complete(extensions), List.of(), "chart.png", "bench");
    }

    @Test
    void eachFaultShowsItsLongestStalenessAgainstTheNodesBoundAndTheDatabaseReadsItCost() {
        String md = render(Map.of(
                FaultFields.MAX_STALENESS_BOUND_MS, 1_000L,
                FaultFields.STALENESS_BOUND_ENFORCED, true,
                FaultFields.FAULTS, List.of(
                        fault("kafka_stopped", 1_080.5, true, 1_200L),
                        fault("overload", 1_650.0, false, 4_000L),
                        fault("redis_killed", 12.0, true, null))));

        assertThat(md).contains("## Faults").contains("Staleness bound the API nodes enforce: 1000 ms.")
                .doesNotContain("not enforced")
                .contains("| `kafka_stopped` | 0 | 0 | 2 | 1,081 | met | 1,200 / 150 (700) | 8,012 | 2,345 |")
                .contains("| `overload` | 0 | 0 | 2 | 1,650 | **missed** | 4,000 / 150 (700) |")
                .contains("| `redis_killed` | 0 | 0 | 2 | 12 | met | not measured |");
    }

    @Test
    void saysWhenTheNodesDidNotEnforceTheBoundOrItIsUnknown() {
        assertThat(render(Map.of(FaultFields.MAX_STALENESS_BOUND_MS, 1_000L,
                FaultFields.STALENESS_BOUND_ENFORCED, false,
                FaultFields.FAULTS, List.of(fault("kafka_stopped", 5.0, true, 10L)))))
                .contains("1000 ms (**not enforced**: `cachebus.consistency.enforce` is false)");
        assertThat(render(Map.of(FaultFields.FAULTS, List.of(fault("kafka_stopped", 5.0, null, 10L)))))
                .contains("Staleness bound the API nodes enforce: not measured")
                .contains("| `kafka_stopped` | 0 | 0 | 2 | 5 | not measured |");
    }

    @Test
    void oneHotDomainsWritesShowBothRatesTheirRatioEachProcesssCpuPerWriteAndTheThreadsThatGrewMost() {
        assertThat(render(Map.of(HotDomainWriteRates.FIELD, ReportSamples.HOT_DOMAIN_WRITES)))
                .contains("| writes/s of one hot (tenant, domain), closed loop: with cachebus / invalidation off "
                        + "| 930 / 1,000 (0.930x; 16 writers of tenant lt-h000, 0 errors); CPU ms per write with / "
                        + "off: all 1.75 / 1, api-1 1.25 / 1, invalidator-1 0.500 / 0; the threads costing most "
                        + "more per write: `invalidator-1 cachebusInvalid` +0.500, `api-1 cachebusEvictio` +0.200, "
                        + "`api-1 http-nio-N.N.N.` +0.050; the JIT compilers' threads, all processes: 0.300 / 0.100 |");
    }

    @Test
    void theHotDomainsWarmUpSaysHowLongItRanAndWhereTheCompilersEnded() {
        assertThat(render(Map.of(HotDomainWriteRates.FIELD, ReportSamples.HOT_DOMAIN_WRITES,
                HotDomainWarmup.FIELD, new HotDomainWarmup(45, 9, 0.048, true, 0.05))))
                .contains("(0.930x; 16 writers of tenant lt-h000, 0 errors; after 45 s of warm-up on each kind, the "
                        + "JIT compilers 4.8% of the CPU in its last round (settled));");
        assertThat(render(Map.of(HotDomainWriteRates.FIELD, ReportSamples.HOT_DOMAIN_WRITES,
                HotDomainWarmup.FIELD, new HotDomainWarmup(180, 36, 0.121, false, 0.05))))
                .contains("after 180 s of warm-up on each kind, the JIT compilers 12.1% of the CPU in its last round "
                        + "(not settled within the limit));");
        assertThat(render(Map.of(HotDomainWriteRates.FIELD, ReportSamples.HOT_DOMAIN_WRITES,
                HotDomainWarmup.FIELD, new HotDomainWarmup(3, 1, null, null, 0.05))))
                .contains("0 errors; after 3 s of warm-up on each kind);");
    }

    @Test
    void theFirstReadsAndTheStretchesOfThePropagationHaveRowsOfTheirOwn() {
        NodeReadFigures.ScrapedLatency toInvalidator = new NodeReadFigures.ScrapedLatency(4.487, 70.88, 144.3,
                2_664, List.of());
        NodeReadFigures.ScrapedLatency delivery = new NodeReadFigures.ScrapedLatency(4.112, 22.259, 39.0, 7_986,
                List.of());
        String md = render(Map.of(
                BenchReport.FIRST_READS, new BenchReport.FirstReads(3, List.of(11_635L, 2_100L, 328L)),
                BenchReport.MUTATION_AGE_IN_INVALIDATOR, toInvalidator,
                BenchReport.POLL_TO_BROADCAST_IN_INVALIDATOR, new NodeReadFigures.ScrapedLatency(0.912, 9.5, 12.0,
                        2_600, List.of()),
                BenchReport.BROADCAST_DELIVERY_IN_NODE, delivery));

        assertThat(md).contains("| first reads of every entry before the load: passes (reads answered without Redis in "
                        + "each) | 3 (11635, 2100, 328) |")
                .containsPattern("\\| of it, p50 / p99: commit to the invalidator's poll; poll to broadcast sent \\(per "
                        + "batch\\); broadcast sent to applied \\| 4\\.49 ms / 70\\.88 ms; 0\\.91[0-9]* ms / 9\\.50? ms; "
                        + "4\\.11 ms / 22\\.26 ms \\|");
        assertThat(render(Map.of(BenchReport.MUTATION_AGE_IN_INVALIDATOR, toInvalidator,
                BenchReport.BROADCAST_DELIVERY_IN_NODE, delivery))).as("invalidators of an earlier release")
                .containsPattern("commit to the invalidator's poll; poll to broadcast sent \\(per batch\\); broadcast "
                        + "sent to applied \\| 4\\.49 ms / 70\\.88 ms; not measured; 4\\.11 ms / 22\\.26 ms \\|");
        assertThat(render(Map.of(BenchReport.BROADCAST_DELIVERY_IN_NODE, delivery))).as("one stretch alone says little")
                .doesNotContain("of it, p50 / p99").doesNotContain("first reads of every entry");
    }

    @Test
    void cachebussStepsOnAWritesThreadHaveARowWhenBothWereScraped() {
        NodeReadFigures.ScrapedLatency recording = new NodeReadFigures.ScrapedLatency(0.412, 2.5, 9.0, 1_305,
                List.of());
        NodeReadFigures.ScrapedLatency afterCommit = new NodeReadFigures.ScrapedLatency(0.051, 0.7, 3.0, 1_305,
                List.of());

        assertThat(render(Map.of(BenchReport.OUTBOX_RECORD_IN_NODE, recording,
                BenchReport.OUTBOX_AFTER_COMMIT_IN_NODE, afterCommit)))
                .contains("| cachebus on a write's own thread, p50 / p99: recording it in the transaction (the outbox "
                        + "row); after its commit (local evictions, the hand-over to Kafka) | 0.412 ms / 2.50 ms; "
                        + "0.051 ms / 0.700 ms (1305 writes) |");
        assertThat(render(Map.of(BenchReport.OUTBOX_RECORD_IN_NODE, recording)))
                .doesNotContain("cachebus on a write's own thread");
    }

    @Test
    void theBareKafkaHopBesideTheLoadHasARowOfItsOwn() {
        assertThat(render(Map.of(BenchReport.KAFKA_HOP_UNDER_LOAD,
                new BenchReport.KafkaHop(5_980, 2.315, 19.4, 41.0, 10, 0, BenchReport.KafkaHop.BESIDE_THE_PROPAGATION_PROBE))))
                .containsPattern("\\| a bare Kafka hop beside the load, p50 / p99 \\(a propagation crosses two\\) \\| "
                        + "2\\.3[0-9]* ms / 19\\.[0-9]+ ms \\(5980 records, beside the propagation probe\\) \\|");
        assertThat(render(Map.of())).doesNotContain("bare Kafka hop");
    }

    @Test
    void theSlicesWithThePropagationProbeAreShownBesideTheFigures() {
        BenchReport.ProbedSlices probed = new BenchReport.ProbedSlices(3, new BenchReport.ReadLatency(4.0, 30.5, 80.0),
                new BenchReport.WriteLatency(9.25, 61.0), new NodeReadFigures.ScrapedLatency(8.5, 70.0, 90.0, 1_200,
                        List.of()), null, null);

        assertThat(render(Map.of(BenchReport.PROBED_SLICES, probed)))
                .contains("| the 3 slices with the propagation probe, not counted above, p50 / p99: reads; writes; "
                        + "propagation in the nodes | 4 ms / 30.50 ms; 9.25 ms / 61 ms; 8.50 ms / 70 ms |");
        assertThat(render(Map.of())).doesNotContain("with the propagation probe, not counted");
    }

    @Test
    void theHitRatioSaysWhichSlicesItWasTakenOverAndStandsBesideTheWorkloadsCeiling() {
        String md = render(Map.of(BenchReport.HIT_RATIO_SLICES, new BenchReport.CacheSlicesDetail(
                        "without the propagation probe", 3, 3, 0.726, 0.35),
                BenchReport.HIT_RATIO_CEILING, new BenchReport.HitRatioCeiling(0.881, 12_000, 1_428)));

        assertThat(md).containsPattern("\\| hit ratio \\| [0-9.]+% \\(slices without the propagation probe; with it: "
                + "72\\.6%\\) \\|")
                .contains("| hit ratio ceiling of the workload (a cache that drops exactly what each write changed, "
                        + "at once) | 88.1% (1428 unavoidable misses in 12000 reads) |");
        assertThat(render(Map.of(BenchReport.HIT_RATIO_SLICES, new BenchReport.CacheSlicesDetail(
                "with the propagation probe", 0, 1, 0.7, 0.3))))
                .containsPattern("\\| hit ratio \\| [0-9.]+% \\(slices with the propagation probe\\) \\|")
                .doesNotContain("hit ratio ceiling");
    }

    @Test
    void aRunWithoutFaultsHasNoFaultSection() {
        assertThat(render(Map.of())).doesNotContain("## Faults");
    }

    @Test
    void oneNodesReadsShowTheirRatiosEachProcesssCpuAndEachKindsDatabaseWork() {
        String md = render(Map.of(MarkdownSummary.DATABASE_COST, Map.of(
                "caching_off", new NodeReadFigures.KindCost(800, 1_600, 2.0, 0.95, 1.1,
                        new NodeReadFigures.DatabaseCost(1.02, 2.5, 0.08, null, null, 0.4)))));

        // the sample: cached 12,000, caching off 1,500, ceiling 13,000 reads/s
        assertThat(md).contains("| 12,000 / 1,500 / 13,000 |").contains("| 0.923x; 8x |")
                .contains("| database queries per read (mixed load: loader runs per read) | 0.040 |")
                .contains("| writes/s of one hot (tenant, domain), closed loop: with cachebus / invalidation off "
                        + "| not measured |")
                .contains("| 3 ms / 9.50 ms / 12 ms (900 evictions) |")
                .contains("Pinning: api-1 on core 1, load generator on core 0.")
                .contains("| api-1 | 4242 | api-1 | 0.310 |")
                .contains("| caching_off | 800 | 1600 | 0.950 | 1.10 | 1.02 | 2.50 | 0.080 | not measured | 0.400 |");
    }
}
