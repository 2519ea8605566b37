package io.cachebus.loadtest.measure;

import io.cachebus.loadtest.deployment.local.LocalClusterTarget;
import io.cachebus.loadtest.profile.Profile;
import io.cachebus.localcluster.ClusterOptions;
import io.cachebus.localcluster.ClusterProcess;
import io.cachebus.localcluster.LocalCluster;
import io.cachebus.localcluster.PostgresDatabase;
import io.cachebus.localcluster.Topology;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * Where an API node's CPU goes while it answers no request, thread by thread, with the background work as it was
 * before the idle savings and as it is now, side by side in one run: twice a local cluster on the separate-process
 * topology (one API node, one invalidator, Kafka's JVM, redis-server, a database of its own on the machine's
 * PostgreSQL), the first with {@link #AS_BEFORE}, the second with the defaults, each left idle for a warm-up (the JIT
 * compiles the idle paths for minutes) and then read from {@code /proc} over the measuring window. Not a test: run it
 * by hand (see docs/benchmarks.md), it takes about twice (start, warm-up and window).
 *
 * <p>Arguments, all optional: the warm-up and the window in seconds (default 120 and 30).
 */
public final class IdleNodeCpu {

    /** Properties of the API nodes and of the invalidators. */
    record Settings(Map<String, String> api, Map<String, String> invalidator) {
    }

    /**
     * The settings that give back the background work as it was: every idle progress report repeated, the probe
     * never paused.
     */
    static final Settings AS_BEFORE = new Settings(
            Map.of("cachebus.consistency.probe-pause-when-unasked-for", "0s"),
            Map.of("cachebus.invalidator.progress.unchanged-interval", "100ms"));
    static final Settings DEFAULTS = new Settings(Map.of(), Map.of());

    private static final String DATABASE = "cachebus_idle_cpu";

    private IdleNodeCpu() {
    }

    /** What one cluster's processes spent in the window: per process, per thread name, in ms of CPU per second. */
    record Reading(Map<String, Map<String, Double>> threadsByProcess, Map<String, Double> processTotals) {
    }

    public static void main(String[] args) {
        Duration warmUp = Duration.ofSeconds(args.length > 0 ? Long.parseLong(args[0]) : 120);
        Duration window = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 30);
        PrintStream out = System.out;
        String jdbcUrl = PostgresDatabase.localDefault().withDatabase(DATABASE).ensureExists();
        Reading before = measure("as before", AS_BEFORE, jdbcUrl, warmUp, window, out);
        Reading now = measure("now", DEFAULTS, jdbcUrl, warmUp, window, out);
        out.printf(Locale.ROOT, "%nidle CPU, ms per second (warm-up %d s, window %d s; one API node, one invalidator)%n",
                warmUp.toSeconds(), window.toSeconds());
        print(before, now, out);
    }

    static Reading measure(String label, Settings settings, String jdbcUrl, Duration warmUp,
            Duration window, PrintStream out) {
        ClusterOptions options = LocalClusterTarget.quietDefaults(new Profile.LocalShape(1, 1,
                Profile.LocalShape.standard().mutationPartitions(), 0)).withTopology(Topology.PROCESSES)
                .withJdbcUrl(jdbcUrl);
        for (Map.Entry<String, String> property : settings.api().entrySet()) {
            options = options.withApiProperty(property.getKey(), property.getValue());
        }
        for (Map.Entry<String, String> property : settings.invalidator().entrySet()) {
            options = options.withInvalidatorProperty(property.getKey(), property.getValue());
        }
        out.printf("%s: starting the cluster ...%n", label);
        try (LocalCluster cluster = LocalCluster.start(options)) {
            Map<String, Long> pids = new LinkedHashMap<>();
            for (ClusterProcess process : cluster.processLayout()) {
                if (process.pid() > 0 && process.pid() != ProcessHandle.current().pid()) {
                    pids.put(process.name(), process.pid());
                }
            }
            out.printf("%s: %s; idle for %d s, then measured for %d s%n", label, pids, warmUp.toSeconds(),
                    window.toSeconds());
            LockSupport.parkNanos(warmUp.toNanos());
            Map<String, ThreadCpu.Snapshot> first = new LinkedHashMap<>();
            pids.forEach((name, pid) -> first.put(name, ThreadCpu.take(pid)));
            LockSupport.parkNanos(window.toNanos());
            Map<String, Map<String, Double>> threads = new LinkedHashMap<>();
            Map<String, Double> totals = new LinkedHashMap<>();
            first.forEach((name, snapshot) -> {
                Map<String, Double> byThread = ThreadCpu.millisPerSecond(snapshot, ThreadCpu.take(pids.get(name)));
                threads.put(name, byThread);
                totals.put(name, byThread.values().stream().mapToDouble(Double::doubleValue).sum());
            });
            return new Reading(threads, totals);
        }
    }

    static void print(Reading before, Reading now, PrintStream out) {
        out.printf(Locale.ROOT, "%-28s %10s %10s%n", "process / thread", "before", "now");
        for (String process : now.processTotals().keySet()) {
            double then = before.processTotals().getOrDefault(process, 0.0);
            double today = now.processTotals().get(process);
            out.printf(Locale.ROOT, "%-28s %10.1f %10.1f   (%.2fx)%n", process, then, today,
                    then == 0 ? Double.NaN : today / then);
            Set<String> names = new LinkedHashSet<>(before.threadsByProcess().getOrDefault(process, Map.of()).keySet());
            names.addAll(now.threadsByProcess().get(process).keySet());
            for (String thread : List.copyOf(names)) {
                double a = before.threadsByProcess().getOrDefault(process, Map.of()).getOrDefault(thread, 0.0);
                double b = now.threadsByProcess().get(process).getOrDefault(thread, 0.0);
                if (a >= 0.5 || b >= 0.5) {
                    out.printf(Locale.ROOT, "  %-26s %10.1f %10.1f%n", thread, a, b);
                }
            }
        }
    }
}
