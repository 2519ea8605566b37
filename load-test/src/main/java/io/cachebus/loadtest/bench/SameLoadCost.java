package io.cachebus.loadtest.bench;

import io.cachebus.loadtest.measure.PostgresActivity;
import io.cachebus.loadtest.measure.PrometheusSamples;
import io.cachebus.loadtest.report.NodeReadFigures.DatabaseCost;
import io.cachebus.loadtest.report.NodeReadFigures.KindCost;
import io.cachebus.loadtest.report.NodeReadFigures.ProcessPlacement;
import io.cachebus.loadtest.workload.OpenLoopScheduler;
import java.io.IOException;
import java.net.URI;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.LongAdder;

/**
 * One kind of read at a given rate, with everything it costs counted over a window in the middle of the load (its
 * first second and last quarter second left out): CPU seconds of every process, the node's cache loader runs and
 * connection checkouts, and PostgreSQL's counters. In the middle, because PostgreSQL publishes a busy backend's
 * counts about once a second but an idle one's only after up to ten: both ends of the window then lag alike.
 */
final class SameLoadCost {

    /** Loader runs of the tiered cache: every read that went to the database. */
    static final String LOADER_RUNS = "cachebus_cache_loads_total";
    /** Hikari's connection checkouts (its acquire timer's count). */
    static final String CONNECTION_CHECKOUTS = "hikaricp_connections_acquire_seconds_count";
    private static final Duration SETTLE = Duration.ofSeconds(1);
    private static final Duration TAIL = Duration.ofMillis(250);

    /** Everything counted at one moment; a part that cannot be read is empty. */
    private record Snapshot(long nanos, long reads, CpuSnapshot cpu, Optional<PrometheusSamples> node,
            Optional<PostgresActivity> database) {
    }

    private final RunContext run;
    private final List<ProcessPlacement> processes;
    private final Optional<String> databaseUrl;

    SameLoadCost(RunContext run) {
        this.run = run;
        this.processes = run.target.processes();
        this.databaseUrl = run.target.databaseUrl();
    }

    /** Whether the window fits in {@code duration}. */
    static boolean fits(Duration duration) {
        return duration.compareTo(SETTLE.plus(TAIL).plusMillis(500)) >= 0;
    }

    /**
     * Runs {@code reader} at {@code rate} for {@code duration} against {@code node}; the CPU figures go into
     * {@code cpuPer1000} by process label.
     */
    KindCost measure(RateSearch.Reader reader, URI node, double rate, Duration duration,
            Map<String, Double> cpuPer1000) throws InterruptedException {
        LongAdder reads = new LongAdder();
        OpenLoopScheduler scheduler = new OpenLoopScheduler(rate, run.profile.workload().maxInFlight(), run.clock);
        FutureTask<OpenLoopScheduler.Outcome> load = new FutureTask<>(() -> scheduler.run(duration,
                LoadDriver.DRAIN_TIMEOUT, (sequence, intended) -> reader.read(sequence).whenComplete((ok, error) -> {
                    if (error == null && Boolean.TRUE.equals(ok)) {
                        reads.increment();
                    }
                })));
        Thread driver = new Thread(load, "lt-same-load");
        driver.setDaemon(true);
        List<Long> backends = CpuSnapshot.backendPids(databaseUrl);
        driver.start();
        Thread.sleep(SETTLE.toMillis());
        Snapshot before = snapshot(node, reads.sum(), backends);
        Thread.sleep(duration.minus(SETTLE).minus(TAIL).toMillis());
        Snapshot after = snapshot(node, reads.sum(), backends);
        try {
            load.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("the load at " + rate + " reads/s failed", e.getCause());
        }
        return cost(before, after, rate, cpuPer1000);
    }

    private KindCost cost(Snapshot before, Snapshot after, double rate, Map<String, Double> cpuPer1000) {
        long reads = after.reads - before.reads;
        double seconds = (after.nanos - before.nanos) / 1e9;
        Map<String, Double> cpu = after.cpu.since(before.cpu);
        Double backendCpu = cpu.remove(CpuSnapshot.DATABASE_BACKENDS);
        if (reads > 0) {
            cpu.forEach((label, used) -> cpuPer1000.put(label, Rounding.thousandths(used * 1000 / reads)));
        }
        Double loaderRuns = perRead(before.node, after.node, LOADER_RUNS, reads);
        Double checkouts = perRead(before.node, after.node, CONNECTION_CHECKOUTS, reads);
        DatabaseCost database = null;
        if (before.database.isPresent() && after.database.isPresent() && reads > 0) {
            PostgresActivity delta = after.database.get().since(before.database.get());
            database = new DatabaseCost(Rounding.thousandths(delta.transactions() / reads),
                    Rounding.thousandths((delta.rowsReturned() + delta.rowsFetched()) / reads),
                    perRead(delta.activeTimeMs(), reads), perRead(delta.statements(), reads),
                    perRead(delta.statementTimeMs(), reads),
                    Rounding.thousandths((backendCpu == null ? 0 : backendCpu) * 1000 / reads));
        }
        return new KindCost(Rounding.tenths(rate), reads, Rounding.hundredths(seconds), loaderRuns, checkouts, database);
    }

    private static Double perRead(Double value, long reads) {
        return value == null ? null : Rounding.thousandths(value / reads);
    }

    private static Double perRead(Optional<PrometheusSamples> before, Optional<PrometheusSamples> after,
            String metric, long reads) {
        if (before.isEmpty() || after.isEmpty() || reads == 0
                || after.get().samples().stream().noneMatch(sample -> sample.name().equals(metric))) {
            return null;
        }
        return Rounding.thousandths((after.get().sum(metric) - before.get().sum(metric)) / reads);
    }

    private Snapshot snapshot(URI node, long reads, List<Long> backends) throws InterruptedException {
        long nanos = run.clock.nanoTime();
        CpuSnapshot cpu = CpuSnapshot.take(processes, backends);
        Optional<PrometheusSamples> scrape;
        try {
            scrape = Optional.of(run.scrapeNode(node));
        } catch (IOException | IllegalArgumentException e) {
            scrape = Optional.empty();
        }
        return new Snapshot(nanos, reads, cpu, scrape, databaseActivity());
    }

    private Optional<PostgresActivity> databaseActivity() {
        try {
            return databaseUrl.isPresent() ? Optional.of(PostgresActivity.snapshot(databaseUrl.get()))
                    : Optional.empty();
        } catch (SQLException e) {
            run.console.println("   cannot read PostgreSQL's statistics: " + e.getMessage());
            return Optional.empty();
        }
    }
}
