package io.cachebus.loadtest;

import io.cachebus.loadtest.deployment.local.LocalClusterTarget;
import io.cachebus.loadtest.profile.Profile;
import io.cachebus.loadtest.profile.Profiles;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cachebus demo}: the local cluster on embedded defaults, the {@link DemoTour}, the quick profile, its summary. */
@Command(name = "demo", description = {"Start a local cluster on loopback (in-process Kafka, redis-server if"
        + " installed, embedded database, API nodes, invalidators), show one write travelling to every node (where"
        + " each read was answered, how long each eviction took, the Redis breakers), then run the quick profile on"
        + " it and print the summary."})
final class DemoCommand implements Callable<Integer> {

    private final CachebusCli.Console console;

    @Mixin
    private CachebusCli.HelpOption help;

    @Option(names = "--keep-running", description = "Keep the cluster running after the run (Ctrl-C stops it) and"
            + " print its URLs and a token to try it with.")
    private boolean keepRunning;

    @Option(names = "--output-dir", paramLabel = "DIR", defaultValue = "target/bench",
            description = "Where the report goes (default: ${DEFAULT-VALUE}).")
    private Path outputDirectory;

    @Option(names = "--jdbc-url", paramLabel = "URL", description = "The API nodes' database (e.g. PostgreSQL, user"
            + " in the URL) instead of an embedded H2.")
    private String jdbcUrl;

    DemoCommand(CachebusCli.Console console) {
        this.console = console;
    }

    @Override
    public Integer call() throws Exception {
        Profile profile = Profiles.quick();
        String command = "./cachebus demo" + (jdbcUrl == null ? "" : " --jdbc-url " + jdbcUrl);
        LocalClusterTarget target = ProfileRun.startLocalCluster(profile, Optional.ofNullable(jdbcUrl),
                ProfileRun.DEFAULT_SAMPLING_RATE, console.out());
        if (!keepRunning) {
            try (target) {
                new DemoTour(target, console.out()).show();
                return ProfileRun.run(profile, target, outputDirectory, command, console.out(), true, false);
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(target::close, "cachebus-demo-shutdown"));
        new DemoTour(target, console.out()).show();
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
}
