package io.cachebus.loadtest.report;

import io.cachebus.loadtest.measure.ThreadCpu;
import io.cachebus.loadtest.report.BenchReport.StrategyCost;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The human report, {@code NAME.md}: the figures, the targets, what was not measured and why. */
public final class MarkdownSummary {

    /** The report's extension field with each kind of read's cost at one rate (the read throughput phase's). */
    public static final String DATABASE_COST = "database_cost";

    private MarkdownSummary() {
    }

    public static String render(BenchReport report, List<TargetCheck.Result> targets, String chartFileName,
            String command) {
        StringBuilder md = new StringBuilder();
        md.append("# cachebus benchmark: `").append(report.profile()).append("`\n\n");
        md.append("- command: `").append(command).append("`\n");
        md.append("- target: ").append(report.run().target()).append('\n');
        md.append("- started: ").append(report.run().startedAt()).append(", total ")
                .append(num(report.run().totalS())).append(" s\n");
        md.append("- machine: ").append(machine(report.run().machine())).append("\n");
        if (report.load() != null) {
            BenchReport.LoadDetail load = report.load();
            md.append("- load: ").append(num(load.targetRps())).append(" req/s open-loop (achieved ")
                    .append(num(load.achievedRps())).append("), ").append(num(load.durationS())).append(" s, ")
                    .append(load.tenants()).append(" tenants, ").append(load.entities())
                    .append(" entities, reads ").append(pct(load.readRatio())).append(", Zipf s=")
                    .append(num(load.zipfExponent())).append(", ").append(load.apiNodes()).append(" API nodes\n");
        }
        md.append('\n');

        md.append("## Results\n\n| figure | value |\n|---|---|\n");
        row(md, "reads / writes", report.reads() + " / " + report.writes());
        row(md, "errors", String.valueOf(report.errors()));
        row(md, "read latency p50 / p99 / p99.9", ms(report.readLatencyMs().p50()) + " / "
                + ms(report.readLatencyMs().p99()) + " / " + ms(report.readLatencyMs().p999()));
        row(md, "write latency p50 / p99", ms(report.writeLatencyMs().p50()) + " / " + ms(report.writeLatencyMs().p99()));
        row(md, "write latency, invalidation off, p50 / p99", ms(report.writeLatencyNoInvalidationMs().p50()) + " / "
                + ms(report.writeLatencyNoInvalidationMs().p99()));
        row(md, "propagation p50 / p99 / max", ms(report.propagationMs().p50()) + " / "
                + ms(report.propagationMs().p99()) + " / " + ms(report.propagationMs().max())
                + (report.propagation() == null ? "" : " (" + report.propagation().samples() + " samples, "
                        + report.propagation().timeouts() + " timeouts)"));
        row(md, "stale reads beyond " + report.boundMs() + " ms", value(report.staleReadsBeyondBound()));
        if (report.staleReadCheck() != null) {
            row(md, "stale reads beyond the nodes' own bound", report.staleReadCheck().beyondNodesBound() == null
                    ? "not known" : report.staleReadCheck().beyondNodesBound() + " beyond "
                            + report.staleReadCheck().nodesBoundMs() + " ms");
            row(md, "reads superseded within the bound", report.staleReadCheck().supersededWithinBound()
                    + " of " + report.staleReadCheck().checked());
            row(md, "reads of data never written there", String.valueOf(report.staleReadCheck().unknownMarker()));
            row(md, "stale hits sampled by the nodes", sampledByNodes(report.staleReadCheck()));
        }
        row(md, "hit ratio", report.hitRatio() == null ? "not measured" : pct(report.hitRatio()) + slicesOf(report));
        if (report.extensions().get(BenchReport.HIT_RATIO_CEILING) instanceof BenchReport.HitRatioCeiling ceiling) {
            row(md, "hit ratio ceiling of the workload (a cache that drops exactly what each write changed, at once)",
                    pct(ceiling.hitRatio()) + " (" + ceiling.misses() + " unavoidable misses in " + ceiling.reads()
                            + " reads)");
        }
        if (report.extensions().get(BenchReport.FIRST_READS) instanceof BenchReport.FirstReads firstReads) {
            row(md, "first reads of every entry before the load: passes (reads answered without Redis in each)",
                    firstReads.passes() + " (" + firstReads.withoutRedis().stream().map(String::valueOf)
                            .collect(Collectors.joining(", ")) + ")");
        }
        row(md, "one node's reads/s at the p99 budget: (a) cached / (b) caching off / (c) ceiling",
                value(report.cachedReadRps()) + " / " + value(report.uncachedReadRps()) + " / "
                        + value(report.ceilingReadRps()));
        row(md, "(a)/(c), what the cache costs a read; (a)/(b), what it buys",
                ratio(report.cachedReadRps(), report.ceilingReadRps()) + "; "
                        + ratio(report.cachedReadRps(), report.uncachedReadRps()));
        row(md, "database queries per read (mixed load: loader runs per read)", value(report.dbQueriesPerRead()));
        row(md, "writes/s of one hot (tenant, domain), closed loop: with cachebus / invalidation off",
                hotDomainWrites(report));
        row(md, "propagation in the nodes p50 / p99 / max (commit to eviction applied)",
                report.propagationInNodeMs() == null ? "not measured"
                        : ms(report.propagationInNodeMs().p50()) + " / " + ms(report.propagationInNodeMs().p99())
                                + " / " + ms(report.propagationInNodeMs().max()) + " ("
                                + report.propagationInNodeMs().samples() + " evictions)");
        if (report.extensions().get(BenchReport.MUTATION_AGE_IN_INVALIDATOR)
                        instanceof NodeReadFigures.ScrapedLatency toInvalidator
                && report.extensions().get(BenchReport.BROADCAST_DELIVERY_IN_NODE)
                        instanceof NodeReadFigures.ScrapedLatency delivery) {
            String inInvalidator = report.extensions().get(BenchReport.POLL_TO_BROADCAST_IN_INVALIDATOR)
                    instanceof NodeReadFigures.ScrapedLatency work ? ms(work.p50()) + " / " + ms(work.p99())
                    : "not measured";
            row(md, "of it, p50 / p99: commit to the invalidator's poll; poll to broadcast sent (per batch); "
                    + "broadcast sent to applied",
                    ms(toInvalidator.p50()) + " / " + ms(toInvalidator.p99()) + "; " + inInvalidator + "; "
                            + ms(delivery.p50()) + " / " + ms(delivery.p99()));
        }
        if (report.extensions().get(BenchReport.OUTBOX_RECORD_IN_NODE)
                        instanceof NodeReadFigures.ScrapedLatency recording
                && report.extensions().get(BenchReport.OUTBOX_AFTER_COMMIT_IN_NODE)
                        instanceof NodeReadFigures.ScrapedLatency afterCommit) {
            row(md, "cachebus on a write's own thread, p50 / p99: recording it in the transaction (the outbox row); "
                    + "after its commit (local evictions, the hand-over to Kafka)",
                    ms(recording.p50()) + " / " + ms(recording.p99()) + "; " + ms(afterCommit.p50()) + " / "
                            + ms(afterCommit.p99()) + " (" + recording.samples() + " writes)");
        }
        if (report.extensions().get(BenchReport.KAFKA_HOP_UNDER_LOAD) instanceof BenchReport.KafkaHop hop) {
            row(md, "a bare Kafka hop beside the load, p50 / p99 (a propagation crosses two)",
                    ms(hop.p50()) + " / " + ms(hop.p99()) + " (" + hop.samples() + " records"
                            + (hop.slices() == null ? "" : ", " + hop.slices()) + ")");
        }
        if (report.extensions().get(BenchReport.PROBED_SLICES) instanceof BenchReport.ProbedSlices probed) {
            row(md, "the " + probed.slices() + " slices with the propagation probe, not counted above, p50 / p99: "
                    + "reads; writes; propagation in the nodes",
                    ms(probed.readLatencyMs().p50()) + " / " + ms(probed.readLatencyMs().p99()) + "; "
                            + ms(probed.writeLatencyMs().p50()) + " / " + ms(probed.writeLatencyMs().p99()) + "; "
                            + (probed.propagationInNodeMs() == null ? "not measured"
                                    : ms(probed.propagationInNodeMs().p50()) + " / "
                                            + ms(probed.propagationInNodeMs().p99())));
        }
        row(md, "dataset", report.dataset() == null ? "not known" : report.dataset().tenants() + " tenants, "
                + report.dataset().rows() + " rows");
        if (report.prefixInvalidationMs() != null) {
            row(md, "prefix invalidation p50, scan", strategy(report.prefixInvalidationMs().scan()));
            row(md, "prefix invalidation p50, default", strategy(report.prefixInvalidationMs().defaultStrategy()));
        }
        row(md, "invalidator events/s (coalescing ratio)", value(report.invalidatorEventsPerS())
                + (report.coalescingRatio() == null ? "" : " (" + num(report.coalescingRatio()) + " events/invalidation)"));
        if (report.extensions().get(BenchReport.INVALIDATOR_SCALING) instanceof BenchReport.InvalidatorScaling scaling) {
            row(md, "invalidator events/s by instances (" + scaling.mutationPartitions() + " partitions)",
                    scaling.runs().stream().map(run -> run.instances() + ": " + value(run.eventsPerS()))
                            .collect(Collectors.joining(", "))
                    + (scaling.speedup() == null ? "" : " (" + num(scaling.speedup()) + "x)"));
        }
        md.append('\n');

        topologyAndCpu(md, report);
        databaseCost(md, report);
        if (report.extensions().get(FaultFields.FAULTS) instanceof List<?> faults && !faults.isEmpty()) {
            faults(md, report, faults);
        }

        md.append("## Targets\n\n| target | requires | measured | |\n|---|---|---|---|\n");
        for (TargetCheck.Result target : targets) {
            md.append("| ").append(target.target()).append(" | ").append(target.requirement()).append(" | ")
                    .append(target.measured()).append(" | ").append(badge(target.status())).append(" |\n");
        }
        md.append('\n');

        if (!report.notMeasured().isEmpty()) {
            md.append("## Not measured\n\n");
            report.notMeasured().forEach((figure, reason) ->
                    md.append("- `").append(figure).append("`: ").append(reason).append('\n'));
            md.append('\n');
        }
        if (report.staleReadCheck() != null && !report.staleReadCheck().examples().isEmpty()) {
            md.append("## Stale reads (first examples)\n\n");
            report.staleReadCheck().examples().forEach(example -> md.append("- ").append(example).append('\n'));
            md.append('\n');
        }
        md.append("## Latency percentiles\n\n![latency percentiles](").append(chartFileName).append(")\n\n");
        md.append("Latencies are measured from each request's intended send time (open-loop), so waiting in the "
                + "harness or the server counts. Propagation is the time from a write's response until every node "
                + "returned the new data.\n");
        return md.toString();
    }

    /** Which process ran what, where, and each process's CPU seconds per 1,000 reads of each kind. */
    private static void topologyAndCpu(StringBuilder md, BenchReport report) {
        NodeReadFigures.Topology topology = report.topology();
        if (topology == null || topology.processes().isEmpty()) {
            return;
        }
        md.append("## Processes\n\nPinning: ").append(topology.pinning() == null ? "none" : topology.pinning())
                .append(". Services that share a JVM share its CPU figure.\n\n| process | pid | runs |");
        Map<String, Map<String, Double>> cpu = report.cpuSecondsPer1000Requests() == null ? Map.of()
                : report.cpuSecondsPer1000Requests();
        cpu.keySet().forEach(kind -> md.append(" CPU s / 1,000 reads, ").append(kind).append(" |"));
        md.append("\n|---|---:|---|").append("---:|".repeat(cpu.size())).append('\n');
        for (NodeReadFigures.ProcessPlacement process : topology.processes()) {
            md.append("| ").append(process.label()).append(" | ").append(process.pid()).append(" | ")
                    .append(String.join(", ", process.runs())).append(" |");
            cpu.values().forEach(byProcess -> md.append(' ').append(value(byProcess.get(process.label())))
                    .append(" |"));
            md.append('\n');
        }
        md.append('\n');
    }

    /** Each kind of read at the common rate: its database work per read. */
    private static void databaseCost(StringBuilder md, BenchReport report) {
        if (!(report.extensions().get(DATABASE_COST) instanceof Map<?, ?> costs) || costs.isEmpty()) {
            return;
        }
        md.append("## Database work per read, each kind of read at one rate\n\n| kind | rate | reads | loader runs "
                + "| pool checkouts | PostgreSQL transactions | rows | active ms | statements | backend CPU s / "
                + "1,000 |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        costs.forEach((kind, value) -> {
            if (value instanceof NodeReadFigures.KindCost cost) {
                NodeReadFigures.DatabaseCost database = cost.database();
                md.append("| ").append(kind).append(" | ").append(num(cost.offeredRps())).append(" | ")
                        .append(cost.reads()).append(" | ").append(value(cost.loaderRunsPerRead())).append(" | ")
                        .append(value(cost.connectionCheckoutsPerRead())).append(" | ");
                if (database == null) {
                    md.append("n/a | n/a | n/a | n/a | n/a |\n");
                } else {
                    md.append(num(database.transactionsPerRead())).append(" | ").append(num(database.rowsPerRead()))
                            .append(" | ").append(value(database.activeMsPerRead())).append(" | ")
                            .append(value(database.statementsPerRead())).append(" | ")
                            .append(value(database.backendCpuSecondsPer1000())).append(" |\n");
                }
            }
        });
        md.append('\n');
    }

    private static String ratio(Double numerator, Double denominator) {
        return numerator == null || denominator == null || denominator <= 0 ? "not measured"
                : TargetCheck.format(numerator / denominator) + "x";
    }

    /** Which slices the hit ratio was taken over, and the hit ratio over the others. */
    private static String slicesOf(BenchReport report) {
        if (!(report.extensions().get(BenchReport.HIT_RATIO_SLICES) instanceof BenchReport.CacheSlicesDetail slices)) {
            return "";
        }
        if (slices.slicesWithoutProbe() == 0) {
            return " (slices " + slices.counted() + ")";
        }
        return " (slices " + slices.counted() + "; with it: "
                + (slices.hitRatioWithProbe() == null ? "not measured" : pct(slices.hitRatioWithProbe())) + ")";
    }

    private static String hotDomainWrites(BenchReport report) {
        if (!(report.extensions().get(HotDomainWriteRates.FIELD) instanceof HotDomainWriteRates rates)) {
            return "not measured";
        }
        String figure = num(rates.with()) + " / " + num(rates.without()) + " (" + num(rates.ratio()) + "x; "
                + rates.writers() + " writers of tenant " + rates.tenant() + ", " + rates.errors() + " errors"
                + warmup(report) + ")";
        if (rates.cpuMsPerWriteWith().isEmpty() || rates.cpuMsPerWriteWithout().isEmpty()) {
            return figure;
        }
        String threads = threadsCostingMore(rates, 6);
        if (threads.isEmpty()) {
            return figure + "; CPU ms per write with / off: " + cpuPerWrite(rates);
        }
        return figure + "; CPU ms per write with / off: " + cpuPerWrite(rates)
                + "; the threads costing most more per write: " + threads + "; the JIT compilers' threads, all "
                + "processes: " + num(compilersPerWrite(rates.threadCpuMsPerWriteWith())) + " / "
                + num(compilersPerWrite(rates.threadCpuMsPerWriteWithout()));
    }

    /** The hot-domain phase's warm-up, when it had one: how long, and where the JIT compilers were at its end. */
    private static String warmup(BenchReport report) {
        if (!(report.extensions().get(HotDomainWarmup.FIELD) instanceof HotDomainWarmup warmup)) {
            return "";
        }
        String text = "; after " + num(warmup.secondsEachKind()) + " s of warm-up on each kind";
        if (warmup.jitCompilerShare() == null) {
            return text;
        }
        return text + ", the JIT compilers " + pct(warmup.jitCompilerShare()) + " of the CPU in its last round ("
                + (warmup.settled() ? "settled" : "not settled within the limit") + ")";
    }

    /**
     * The {@code limit} threads (process and thread name) whose CPU per write grew most with cachebus, each with the
     * milliseconds it grew by, the JIT compilers' left out (they compile at about the same rate per second in both
     * kinds of slice, so fewer writes per second put more of them on each write); empty without thread figures.
     */
    private static String threadsCostingMore(HotDomainWriteRates rates, int limit) {
        record Growth(String thread, double millis) {
        }
        List<Growth> growths = new ArrayList<>();
        rates.threadCpuMsPerWriteWith().forEach((process, threads) -> {
            Map<String, Double> without = rates.threadCpuMsPerWriteWithout().getOrDefault(process, Map.of());
            threads.forEach((thread, with) -> {
                if (!thread.equals(ThreadCpu.JIT_COMPILERS)) {
                    growths.add(new Growth(process + " " + thread, with - without.getOrDefault(thread, 0.0)));
                }
            });
        });
        return growths.stream().filter(growth -> growth.millis() > 0)
                .sorted(Comparator.comparingDouble(Growth::millis).reversed()).limit(limit)
                .map(growth -> "`" + growth.thread() + "` +" + num(thousandths(growth.millis())))
                .collect(Collectors.joining(", "));
    }

    /** The JIT compilers' threads of all processes together, in milliseconds per write. */
    private static double compilersPerWrite(Map<String, Map<String, Double>> threadsByProcess) {
        return thousandths(ThreadCpu.acrossProcesses(threadsByProcess, ThreadCpu.JIT_COMPILERS));
    }

    /** Milliseconds summed from figures of three decimals, rounded back to three (no 0.30000000000000004). */
    private static double thousandths(double millis) {
        return Math.round(millis * 1000) / 1000.0;
    }

    /** Each process's CPU per write with cachebus and with invalidation off, the largest with cachebus first. */
    private static String cpuPerWrite(HotDomainWriteRates rates) {
        double totalWith = rates.cpuMsPerWriteWith().values().stream().mapToDouble(Double::doubleValue).sum();
        double totalWithout = rates.cpuMsPerWriteWithout().values().stream().mapToDouble(Double::doubleValue).sum();
        StringBuilder text = new StringBuilder("all ").append(num(thousandths(totalWith))).append(" / ")
                .append(num(thousandths(totalWithout)));
        rates.cpuMsPerWriteWith().forEach((process, with) -> text.append(", ").append(process).append(' ')
                .append(num(with)).append(" / ").append(num(rates.cpuMsPerWriteWithout().getOrDefault(process, 0.0))));
        return text.toString();
    }

    private static String sampledByNodes(BenchReport.StaleReadCheck check) {
        if (check.sampledHitsChecked() == null) {
            return "not measured";
        }
        return check.sampledStaleHits() + " of " + check.sampledHitsChecked() + " hits checked ("
                + check.sampledHitsDropped() + " samples dropped)";
    }

    /** The chaos profile's faults: staleness in each window against the nodes' bound, and its database cost. */
    private static void faults(StringBuilder md, BenchReport report, List<?> faults) {
        Object bound = report.extensions().get(FaultFields.MAX_STALENESS_BOUND_MS);
        md.append("## Faults\n\n");
        md.append("Staleness bound the API nodes enforce: ")
                .append(bound == null ? "not measured" : bound + " ms")
                .append(Boolean.FALSE.equals(report.extensions().get(FaultFields.STALENESS_BOUND_ENFORCED))
                        ? " (**not enforced**: `cachebus.consistency.enforce` is false)" : "")
                .append(". The longest staleness inside a fault's window (the fault and the recovery load) must stay "
                        + "within it plus ").append(FaultFields.WINDOW_STALENESS_SLACK_MS).append(" ms; database reads "
                        + "in the window are set against those of steady load over as long.\n\n");
        md.append("| fault | client errors | lost invalidations | stale reads beyond ").append(report.boundMs())
                .append(" ms outside the window | longest staleness in the window (ms) | within the bound + ")
                .append(FaultFields.WINDOW_STALENESS_SLACK_MS).append(" ms | database reads in the window / steady "
                        + "(through the bound) | window (ms) | recovery (ms) |\n");
        md.append("|---|---:|---:|---:|---:|---|---:|---:|---:|\n");
        for (Object entry : faults) {
            if (!(entry instanceof Map<?, ?> fault)) {
                continue;
            }
            md.append("| `").append(fault.get(FaultFields.FAULT)).append("` | ")
                    .append(cell(fault.get(FaultFields.CLIENT_ERRORS))).append(" | ")
                    .append(cell(fault.get(FaultFields.LOST_INVALIDATIONS))).append(" | ")
                    .append(cell(fault.get(FaultFields.STALE_OUTSIDE_WINDOW))).append(" | ")
                    .append(cell(fault.get(FaultFields.MAX_STALENESS_IN_WINDOW_MS))).append(" | ")
                    .append(metOrMissed(fault.get(FaultFields.STALENESS_IN_WINDOW_MET))).append(" | ")
                    .append(databaseReads(fault)).append(" | ")
                    .append(cell(fault.get(FaultFields.WINDOW_MS))).append(" | ")
                    .append(cell(fault.get(FaultFields.RECOVERY_MS))).append(" |\n");
        }
        md.append('\n');
    }

    private static String databaseReads(Map<?, ?> fault) {
        Object window = fault.get(FaultFields.DB_READS_IN_WINDOW);
        if (window == null) {
            return "not measured";
        }
        return cell(window) + " / " + cell(fault.get(FaultFields.DB_READS_STEADY)) + " ("
                + cell(fault.get(FaultFields.DB_READS_THROUGH_BOUND_IN_WINDOW)) + ")";
    }

    private static String metOrMissed(Object met) {
        if (met instanceof Boolean within) {
            return within ? "met" : "**missed**";
        }
        return "not measured";
    }

    private static String cell(Object value) {
        if (value == null) {
            return "n/a";
        }
        return value instanceof Number number ? TargetCheck.format(number.doubleValue()) : value.toString();
    }

    private static void row(StringBuilder md, String figure, String value) {
        md.append("| ").append(figure).append(" | ").append(value).append(" |\n");
    }

    private static String strategy(StrategyCost cost) {
        if (cost == null || cost.p50() == null) {
            return "not measured";
        }
        return ms(cost.p50()) + " (" + cost.strategy() + ", " + cost.removed() + " of " + cost.keyspace() + " keys)";
    }

    private static String badge(TargetCheck.Status status) {
        switch (status) {
            case MET:
                return "met";
            case MISSED:
                return "**MISSED**";
            default:
                return "not measured";
        }
    }

    private static String machine(Map<String, String> machine) {
        StringBuilder text = new StringBuilder();
        machine.forEach((key, value) -> text.append(text.length() == 0 ? "" : ", ").append(key).append(' ').append(value));
        return text.toString();
    }

    private static String ms(Double millis) {
        return millis == null ? "n/a" : TargetCheck.format(millis) + " ms";
    }

    private static String value(Number number) {
        return number == null ? "not measured" : TargetCheck.format(number.doubleValue());
    }

    private static String num(double value) {
        return TargetCheck.format(value);
    }

    private static String pct(double share) {
        return String.format(Locale.ROOT, "%.1f%%", share * 100);
    }
}
