package io.cachebus.loadtest;

import io.cachebus.client.autoconfigure.CachebusProperties;
import io.cachebus.loadtest.bench.BenchRunner;
import io.cachebus.localcluster.ClusterLogs;
import io.cachebus.localcluster.ClusterOptions;
import io.cachebus.localcluster.Topology;
import io.cachebus.loadtest.deployment.ClusterTarget;
import io.cachebus.loadtest.deployment.local.LocalClusterTarget;
import io.cachebus.loadtest.invalidation.InvalidatorStrategies;
import io.cachebus.loadtest.profile.Profile;
import io.cachebus.loadtest.report.TargetCheck;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** What {@code demo} and {@code bench} share: starting the local cluster, running a profile, printing its report. */
final class ProfileRun {

    private ProfileRun() {
    }

    /** The nodes' own default: the figures of a run are not paid for by sampling unless asked. */
    static final double DEFAULT_SAMPLING_RATE = new CachebusProperties().getConsistency().getSampling().getRate();

    /**
     * @param samplingRate the share of cache hits the nodes check against the database
     *                     ({@code cachebus.consistency.sampling.rate})
     */
    static LocalClusterTarget startLocalCluster(Profile profile, Optional<String> jdbcUrl, double samplingRate,
            PrintStream out) {
        TopologyOptions inThisJvm = new TopologyOptions();
        inThisJvm.topology = Topology.IN_JVM;
        inThisJvm.jdbcUrl = jdbcUrl.orElse(null);
        return startLocalCluster(profile, inThisJvm, samplingRate, Optional.empty(), out);
    }

    /**
     * {@link #startLocalCluster(Profile, Optional, double, PrintStream)} in the topology {@code topology} gives, the
     * nodes enforcing {@code nodesMaxStaleness} ({@code cachebus.consistency.max-staleness}) when given.
     */
    static LocalClusterTarget startLocalCluster(Profile profile, TopologyOptions topology, double samplingRate,
            Optional<Duration> nodesMaxStaleness, PrintStream out) {
        return startLocalCluster(profile.local(), Duration.ofMillis(profile.timing().boundMs()), topology, samplingRate,
                nodesMaxStaleness, out);
    }

    /**
     * A local cluster of {@code shape}, its nodes calling a cache hit stale once {@code bound} old (see
     * {@link LocalClusterTarget#withConsistencySampling}).
     */
    static LocalClusterTarget startLocalCluster(Profile.LocalShape shape, Duration bound, TopologyOptions topology,
            double samplingRate, Optional<Duration> nodesMaxStaleness, PrintStream out) {
        out.println(topology.topology == Topology.IN_JVM
                ? "cachebus: starting the local cluster (in-process Kafka, redis-server if installed, embedded "
                        + "database, API nodes and invalidators on loopback) ..."
                : "cachebus: starting the local cluster, each part a process of its own (Kafka's JVM, redis-server,"
                        + " PostgreSQL, a JVM per API node and invalidator) ...");
        long start = System.nanoTime();
        ClusterOptions sampled = LocalClusterTarget.withConsistencySampling(LocalClusterTarget.quietDefaults(shape),
                samplingRate, bound);
        ClusterOptions options = nodesMaxStaleness.map(max -> LocalClusterTarget.withNodesMaxStaleness(sampled, max))
                .orElse(sampled);
        LocalClusterTarget target = topology.start(options, out);
        out.printf("cachebus: %s, up in %.1f s%n", target.description(), (System.nanoTime() - start) / 1e9);
        String serviceLog = System.getProperty(ClusterLogs.SERVICE_LOG_PROPERTY);
        if (serviceLog != null) {
            out.println("cachebus: the services' warnings that are expected here (breakers of a JVM short of CPU) go"
                    + " to " + serviceLog);
        }
        return target;
    }

    /**
     * Runs {@code profile} on {@code target} and writes its report to {@code outputDirectory}.
     *
     * @param command        how to run it again, recorded in the report
     * @param printSummary   the whole Markdown summary (the demo), or only the targets (bench)
     * @param enforceTargets a missed target is exit status {@link CachebusCli#TARGET_MISSED}
     */
    static int run(Profile profile, ClusterTarget target, Path outputDirectory, String command, PrintStream out,
            boolean printSummary, boolean enforceTargets) throws Exception {
        BenchRunner.Outcome outcome;
        try (BenchRunner runner = new BenchRunner(target, profile, out, Optional.of(new InvalidatorStrategies()))) {
            outcome = runner.run(outputDirectory, command);
        }
        out.println();
        if (printSummary) {
            out.println(outcome.files().summary());
        } else {
            outcome.files().targets().forEach(result -> out.printf("  %-40s %-14s %s%n", result.target(),
                    result.status(), result.measured()));
        }
        out.println("report: " + outcome.files().json().toAbsolutePath());
        out.println("        " + outcome.files().markdown().toAbsolutePath());
        out.println("        " + outcome.files().chart().toAbsolutePath());
        if (!outcome.failedPhases().isEmpty()) {
            out.println("failed phases: " + outcome.failedPhases());
            return CachebusCli.FAILED;
        }
        if (enforceTargets && !TargetCheck.allMet(outcome.files().targets())) {
            out.println("a target was missed or not measured (--enforce-targets)");
            return CachebusCli.TARGET_MISSED;
        }
        return CachebusCli.OK;
    }
}
