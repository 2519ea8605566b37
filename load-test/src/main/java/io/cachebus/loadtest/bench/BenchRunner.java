package io.cachebus.loadtest.bench;

import io.cachebus.localcluster.dataset.DatasetSummary;
import java.util.LinkedHashMap;
import java.util.Map;
import io.cachebus.loadtest.deployment.ClusterTarget;
import io.cachebus.loadtest.invalidation.PrefixStrategies;
import io.cachebus.loadtest.measure.LatencyStat;
import io.cachebus.loadtest.profile.PhaseKind;
import io.cachebus.loadtest.profile.Profile;
import io.cachebus.loadtest.report.BenchReport;
import io.cachebus.loadtest.report.NodeReadFigures;
import io.cachebus.loadtest.report.ReportFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.HdrHistogram.Histogram;

/**
 * Runs a {@link Profile}'s phases against a {@link ClusterTarget} and writes the report. A phase that cannot run
 * on the target, or fails, leaves its figures null with the reason in the report's {@code not_measured}; the
 * other phases still run.
 */
public final class BenchRunner implements AutoCloseable {

    /** The written report, and the phases that failed. */
    public record Outcome(BenchReport report, ReportFiles.Written files, List<PhaseKind> failedPhases) {
    }

    /** Each phase's wall time in the report. */
    static final String PHASE_SECONDS = "phase_seconds";

    private final RunContext run;
    private final Optional<PrefixStrategies> prefixStrategies;

    /**
     * @param prefixStrategies the invalidator's Redis strategies, when this build has them
     */
    public BenchRunner(ClusterTarget target, Profile profile, PrintStream console,
            Optional<PrefixStrategies> prefixStrategies) {
        this.run = new RunContext(target, profile, console);
        this.prefixStrategies = prefixStrategies;
    }

    public Outcome run(Path outputDirectory, String command) throws IOException, InterruptedException {
        Instant started = Instant.now();
        long startNanos = run.clock.nanoTime();
        ResultSheet sheet = new ResultSheet();
        List<PhaseKind> failed = new ArrayList<>();
        run.console.println("cachebus bench: profile " + run.profile.name() + " on " + run.target.description());
        Map<String, Double> phaseSeconds = new LinkedHashMap<>();
        for (PhaseKind kind : run.profile.phases()) {
            String name = kind.name().toLowerCase(Locale.ROOT).replace('_', ' ');
            run.console.println("== " + name);
            run.target.beforePhase().ifPresent(done -> run.console.println("   " + done));
            long phaseStart = run.clock.nanoTime();
            BenchPhase phase = phase(kind);
            try {
                phase.run(sheet);
            } catch (RuntimeException e) {
                failed.add(kind);
                String reason = "phase " + kind + " failed: " + e;
                run.console.println("   " + reason);
                phase.figures().forEach(figure -> sheet.notMeasured.putIfAbsent(figure, reason));
            }
            double seconds = Rounding.tenths((run.clock.nanoTime() - phaseStart) / 1e9);
            phaseSeconds.put(kind.name().toLowerCase(Locale.ROOT), seconds);
            run.console.printf(Locale.ROOT, "   (%s: %.1f s)%n", name, seconds);
        }
        // where a run's time goes, to hold it to its profile's plan (profile.PhasePlan)
        sheet.extensions.put(PHASE_SECONDS, phaseSeconds);
        run.target.processLayout().ifPresent(layout -> sheet.extensions.put("process_layout", layout));
        run.target.dataset().ifPresent(dataset -> sheet.extensions.put("dataset_detail", datasetFields(dataset)));
        BenchReport report = assemble(sheet, started, (run.clock.nanoTime() - startNanos) / 1e9);
        ReportFiles.Written files = ReportFiles.write(report, sheet.histograms(), outputDirectory, command);
        return new Outcome(report, files, List.copyOf(failed));
    }

    /** The report's {@code dataset_detail}: rows per table, the spec, and whether this run generated it. */
    private static Map<String, Object> datasetFields(DatasetSummary dataset) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("tenants", dataset.tenants());
        fields.put("rows", dataset.rows());
        fields.put("largest_tenant", Map.of("workflows", dataset.spec().largestTenantWorkflows(),
                "steps_per_workflow", dataset.spec().stepsPerWorkflow(),
                "notifications", dataset.spec().largestTenantNotifications()));
        fields.put("zipf_exponent", dataset.spec().zipfExponent());
        fields.put("generated_by_this_run", dataset.generated());
        return fields;
    }

    /** The implementation of each kind of phase; a new kind gets its line here. */
    private BenchPhase phase(PhaseKind kind) {
        switch (kind) {
            case LOAD:
                return new LoadPhase(run);
            case READ_THROUGHPUT:
                return new ReadThroughputPhase(run);
            case PREFIX_INVALIDATION:
                return new PrefixInvalidationPhase(run, prefixStrategies);
            case INVALIDATOR_THROUGHPUT:
                return new InvalidatorThroughputPhase(run);
            case CHAOS:
                return new ChaosPhase(run);
            case HOT_DOMAIN_WRITES:
                return new HotDomainWritesPhase(run);
            default:
                throw new IllegalStateException("no implementation for phase " + kind);
        }
    }

    static BenchReport.ReadLatency readLatency(Histogram reads) {
        return new BenchReport.ReadLatency(LatencyStat.millisAt(reads, 50), LatencyStat.millisAt(reads, 99),
                LatencyStat.millisAt(reads, 99.9));
    }

    static BenchReport.WriteLatency writeLatency(Histogram writes) {
        return new BenchReport.WriteLatency(LatencyStat.millisAt(writes, 50), LatencyStat.millisAt(writes, 99));
    }

    private BenchReport assemble(ResultSheet sheet, Instant started, double totalSeconds) {
        Histogram reads = orEmpty(sheet.readLatency);
        Histogram writes = orEmpty(sheet.writeLatency);
        Histogram baseline = orEmpty(sheet.writeLatencyNoInvalidation);
        Histogram propagation = orEmpty(sheet.propagation);
        return new BenchReport(
                run.profile.name(),
                sheet.reads,
                sheet.writes,
                readLatency(reads),
                writeLatency(writes),
                writeLatency(baseline),
                new BenchReport.PropagationLatency(LatencyStat.millisAt(propagation, 50),
                        LatencyStat.millisAt(propagation, 99), LatencyStat.maxMillis(propagation)),
                run.profile.timing().boundMs(),
                sheet.staleReadsBeyondBound,
                sheet.hitRatio == null ? null : Rounding.thousandths(sheet.hitRatio),
                sheet.cachedReadRps == null ? null : Rounding.tenths(sheet.cachedReadRps),
                sheet.uncachedReadRps == null ? null : Rounding.tenths(sheet.uncachedReadRps),
                new BenchReport.PrefixInvalidation(sheet.scanCost, sheet.defaultCost),
                sheet.invalidatorEventsPerS == null ? null : Rounding.tenths(sheet.invalidatorEventsPerS),
                sheet.coalescingRatio == null ? null : Rounding.tenths(sheet.coalescingRatio),
                sheet.ceilingReadRps == null ? null : Rounding.tenths(sheet.ceilingReadRps),
                sheet.dbQueriesPerRead == null ? null : Rounding.thousandths(sheet.dbQueriesPerRead),
                sheet.propagationInNode,
                new NodeReadFigures.Topology(run.target.processes(), run.target.pinning().orElse(null)),
                run.target.dataset().map(dataset -> new NodeReadFigures.Dataset(dataset.tenants(),
                        dataset.totalRows())).orElse(null),
                sheet.cpuPer1000Requests,
                sheet.errors,
                sheet.propagationDetail,
                sheet.staleReadCheck,
                sheet.load,
                sheet.notMeasured,
                new BenchReport.RunInfo(run.target.description(), started.toString(), Rounding.tenths(totalSeconds),
                        MachineInfo.describe()),
                sheet.extensions);
    }

    private static Histogram orEmpty(Histogram histogram) {
        return histogram != null ? histogram : new Histogram(3);
    }

    @Override
    public void close() {
        run.close();
    }
}
