package io.cachebus.loadtest;

import io.cachebus.loadtest.deployment.local.LocalClusterTarget;
import io.cachebus.loadtest.liveview.LiveView;
import io.cachebus.loadtest.profile.Profile;
import io.cachebus.loadtest.profile.Profiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code cachebus demo}: the local cluster on embedded defaults, the {@link DemoTour}, the {@link LiveView}, the quick
 * profile, its summary.
 */
@Command(name = "demo", description = {"Start a local cluster on loopback (in-process Kafka, redis-server if"
        + " installed, embedded database, API nodes, invalidators), show one write travelling to every node (where"
        + " each read was answered, how long each eviction took, the Redis breakers), watch it live under a small"
        + " steady workload (a table per node refreshed every second, a line per write), then run the quick profile"
        + " on it and print the summary."})
final class DemoCommand implements Callable<Integer> {

    private final CachebusCli.Console console;

    @Spec
    private CommandSpec spec;

    @Mixin
    private CachebusCli.HelpOption help;

    @Option(names = "--keep-running", description = "Keep the cluster running after the run (Ctrl-C stops it) and"
            + " print its URLs and a token to try it with.")
    private boolean keepRunning;

    @Option(names = "--output-dir", paramLabel = "DIR", defaultValue = "target/bench",
            description = "Where the report goes (default: ${DEFAULT-VALUE}).")
    private Path outputDirectory;

    @Option(names = "--live-seconds", paramLabel = "N", defaultValue = "20",
            description = "How long the live view runs before the benchmark: per node requests/s, cache tiers, L1,"
                    + " evictions and their delay, Redis breaker, eviction subscription, and a line per write; 0"
                    + " skips it (default: ${DEFAULT-VALUE}).")
    private int liveSeconds;

    @Option(names = "--jdbc-url", paramLabel = "URL", description = "The API nodes' database (e.g. PostgreSQL, user"
            + " in the URL) instead of an embedded H2.")
    private String jdbcUrl;

    DemoCommand(CachebusCli.Console console) {
        this.console = console;
    }

    @Override
    public Integer call() throws Exception {
        if (liveSeconds < 0) {
            throw new ParameterException(spec.commandLine(), "--live-seconds is 0 (no live view) or more seconds, not "
                    + liveSeconds);
        }
        Profile profile = Profiles.quick();
        String command = "./cachebus demo" + (jdbcUrl == null ? "" : " --jdbc-url " + jdbcUrl);
        LocalClusterTarget target = ProfileRun.startLocalCluster(profile, Optional.ofNullable(jdbcUrl),
                ProfileRun.DEFAULT_SAMPLING_RATE, console.out());
        if (!keepRunning) {
            try (target) {
                showTheSystem(target);
                return ProfileRun.run(profile, target, outputDirectory, command, console.out(), true, false);
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(target::close, "cachebus-demo-shutdown"));
        showTheSystem(target);
        int status = ProfileRun.run(profile, target, outputDirectory, command, console.out(), true, false);
        console.out().println();
        console.out().println("The cluster keeps running (Ctrl-C stops it). API nodes:");
        target.apiNodes().forEach(node -> console.out().println("  " + node));
        console.out().println("Try:  curl -H 'Authorization: Bearer " + target.bearerToken("demo") + "' "
                + target.apiNodes().get(0) + "/api/workflows");
        console.out().flush();
        new CountDownLatch(1).await();
        return status;
    }

    /** The tour, then the live view: what the demo shows before its benchmark. */
    private void showTheSystem(LocalClusterTarget target) throws InterruptedException {
        new DemoTour(target, console.out()).show();
        if (liveSeconds > 0) {
            // System.console(): a terminal, redrawn in place; a file or a pipe gets plain lines
            new LiveView(target, console.out(), System.console() != null,
                    LiveView.Settings.demo(Duration.ofSeconds(liveSeconds))).show();
        }
    }
}
