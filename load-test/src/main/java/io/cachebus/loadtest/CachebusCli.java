package io.cachebus.loadtest;

import io.cachebus.client.autoconfigure.CachebusProperties;
import io.cachebus.loadtest.bench.BenchRunner;
import io.cachebus.loadtest.invalidation.InvalidatorStrategies;
import io.cachebus.loadtest.profile.Profile;
import io.cachebus.loadtest.profile.Profiles;
import io.cachebus.loadtest.report.TargetCheck;
import io.cachebus.loadtest.deployment.BearerTokens;
import io.cachebus.loadtest.deployment.ClusterTarget;
import io.cachebus.loadtest.deployment.NodeMode;
import io.cachebus.loadtest.deployment.local.LocalClusterTarget;
import io.cachebus.loadtest.deployment.url.UrlClusterTarget;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import io.cachebus.loadtest.cluster.ClusterOptions;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * The harness's command line, behind {@code ./cachebus bench} and {@code ./cachebus demo}.
 *
 * <pre>
 *   bench --profile NAME --output-dir DIR [--rate REQUESTS_PER_S] [--jdbc-url URL] [--sampling-rate SHARE]
 *         [--target-urls URL,...] [--no-invalidation-urls URL,...] [--uncached-urls URL,...]
 *         [--kafka-bootstrap HOST:PORT] [--enforce-targets]
 *   demo [--keep-running] [--output-dir DIR]
 * </pre>
 *
 * Exit status: 0 done, 1 a phase failed, 2 bad command line, 3 a target was missed (only with
 * {@code --enforce-targets}).
 */
public final class CachebusCli {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    static final int TARGET_MISSED = 3;

    private static final String USAGE_TEXT = """
            usage:
              bench --profile NAME --output-dir DIR [--rate REQUESTS_PER_S] [--jdbc-url URL] [--sampling-rate SHARE]
                    [--target-urls URL,...] [--no-invalidation-urls URL,...] [--uncached-urls URL,...]
                    [--kafka-bootstrap HOST:PORT] [--enforce-targets]
                  Runs a load-test profile (%s) and writes DIR/NAME.json, NAME.md and NAME-latency.png.
                  --rate replaces the profile's open-loop arrival rate (to find a deployment's capacity).
                  Without --target-urls it starts a local cluster on loopback and measures that; its API nodes
                  share an embedded H2 database, or the one --jdbc-url names (e.g. PostgreSQL, user in the URL).
                  --sampling-rate is the share of cache hits the local cluster's nodes check against the database
                  (cachebus.consistency.sampling.rate, default %s); 1 checks every hit, so the nodes' count of
                  stale hits can be set beside the harness's stale reads.
                  Tokens are signed with $CACHEBUS_JWT_SECRET.
              demo [--keep-running] [--output-dir DIR]
                  Starts the local cluster on embedded defaults, runs the quick profile, prints the summary.
            """;

    private static final Set<String> VALUED = Set.of("profile", "output-dir", "rate", "jdbc-url", "sampling-rate",
            "target-urls",
            "no-invalidation-urls", "uncached-urls", "kafka-bootstrap");
    private static final Set<String> FLAGS = Set.of("enforce-targets", "keep-running");
    private static final Duration TOKEN_LIFETIME = Duration.ofHours(12);
    private static final String DEFAULT_OUTPUT_DIRECTORY = "target/bench";
    /** The nodes' own default: the figures of a run are not paid for by sampling unless asked. */
    private static final double DEFAULT_SAMPLING_RATE = new CachebusProperties().getConsistency().getSampling()
            .getRate();
    private static final String COMMON_POOL_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

    private CachebusCli() {
    }

    public static void main(String[] args) {
        // Charts are drawn off-screen; there may be no display at all.
        System.setProperty("java.awt.headless", "true");
        useCommonPoolForHttpCompletions();
        System.exit(run(args, System.out, System.err));
    }

    /**
     * java.net.http's {@code sendAsync} completes every response through CompletableFuture's default executor,
     * whatever executor the client has. On two cores or fewer the common pool's parallelism is 1, and that default
     * executor is then a new thread per task: a thread started for every HTTP response, hundreds a second under
     * load, on the cores the measured cluster needs. Two workers make it the common pool. Runs first in {@code main},
     * before anything initialises the common pool; an explicit {@code -D} setting wins.
     */
    private static void useCommonPoolForHttpCompletions() {
        if (System.getProperty(COMMON_POOL_PARALLELISM) == null && Runtime.getRuntime().availableProcessors() <= 2) {
            System.setProperty(COMMON_POOL_PARALLELISM, "2");
        }
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine line;
        try {
            line = CommandLine.parse(args, VALUED, FLAGS);
            switch (line.command()) {
                case "bench":
                    return bench(line, out);
                case "demo":
                    return demo(line, out);
                case "help":
                case "--help":
                case "-h":
                    out.print(usage());
                    return OK;
                default:
                    throw new CommandLine.UsageException("unknown command '" + line.command() + "'");
            }
        } catch (CommandLine.UsageException | IllegalArgumentException e) {
            err.println("cachebus: " + e.getMessage());
            err.print(usage());
            return USAGE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("cachebus: interrupted");
            return FAILED;
        } catch (Exception e) {
            err.println("cachebus: " + e);
            e.printStackTrace(err);
            return FAILED;
        }
    }

    private static int bench(CommandLine line, PrintStream out) throws Exception {
        Profile named = Profiles.byName(line.value("profile")
                .orElseThrow(() -> new CommandLine.UsageException("bench needs --profile NAME")));
        Profile profile = line.value("rate").map(rate -> named.withRequestsPerSecond(requestsPerSecond(rate)))
                .orElse(named);
        Path outputDirectory = Path.of(line.value("output-dir")
                .orElseThrow(() -> new CommandLine.UsageException("bench needs --output-dir DIR")));
        ClusterTarget target = line.list("target-urls").isEmpty() ? startLocalCluster(profile, line, out)
                : urlTarget(line);
        try (target) {
            return runProfile(profile, target, outputDirectory, line, out, false);
        }
    }

    private static int demo(CommandLine line, PrintStream out) throws Exception {
        Path outputDirectory = Path.of(line.value("output-dir").orElse(DEFAULT_OUTPUT_DIRECTORY));
        LocalClusterTarget target = startLocalCluster(Profiles.quick(), line, out);
        if (!line.flag("keep-running")) {
            try (target) {
                return runProfile(Profiles.quick(), target, outputDirectory, line, out, true);
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(target::close, "cachebus-demo-shutdown"));
        int status = runProfile(Profiles.quick(), target, outputDirectory, line, out, true);
        out.println();
        out.println("The cluster keeps running (Ctrl-C stops it). API nodes:");
        target.apiNodes().forEach(node -> out.println("  " + node));
        String tenant = "demo";
        out.println("Try:  curl -H 'Authorization: Bearer " + target.bearerToken(tenant) + "' "
                + target.apiNodes().get(0) + "/api/workflows");
        out.flush();
        new CountDownLatch(1).await();
        return status;
    }

    private static LocalClusterTarget startLocalCluster(Profile profile, CommandLine line, PrintStream out) {
        out.println("cachebus: starting the local cluster (in-process Kafka, redis-server if installed, embedded "
                + "database, API nodes and invalidators on loopback) ...");
        long start = System.nanoTime();
        ClusterOptions options = LocalClusterTarget.withConsistencySampling(
                LocalClusterTarget.quietDefaults(profile.local()),
                line.value("sampling-rate").map(CachebusCli::samplingRate).orElse(DEFAULT_SAMPLING_RATE),
                Duration.ofMillis(profile.timing().boundMs()));
        Optional<String> jdbcUrl = line.value("jdbc-url");
        if (jdbcUrl.isPresent()) {
            options = options.withJdbcUrl(jdbcUrl.get());
        }
        LocalClusterTarget target = LocalClusterTarget.start(options);
        out.printf("cachebus: %s, up in %.1f s%n", target.description(), (System.nanoTime() - start) / 1e9);
        return target;
    }

    private static int runProfile(Profile profile, ClusterTarget target, Path outputDirectory, CommandLine line,
            PrintStream out, boolean printSummary) throws Exception {
        String command = line.command().equals("demo") ? "./cachebus demo"
                : "./cachebus bench --profile " + profile.name()
                        + line.value("rate").map(rate -> " --rate " + rate).orElse("")
                        + line.value("jdbc-url").map(url -> " --jdbc-url " + url).orElse("")
                        + line.value("sampling-rate").map(share -> " --sampling-rate " + share).orElse("")
                        + line.value("target-urls").map(urls -> " --target-urls " + urls).orElse("");
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
            return FAILED;
        }
        if (line.flag("enforce-targets") && !TargetCheck.allMet(outcome.files().targets())) {
            out.println("a target was missed or not measured (--enforce-targets)");
            return TARGET_MISSED;
        }
        return OK;
    }

    private static ClusterTarget urlTarget(CommandLine line) {
        List<URI> normal = urls(line, "target-urls");
        Map<NodeMode, List<URI>> nodes = new EnumMap<>(NodeMode.class);
        nodes.put(NodeMode.NORMAL, normal);
        nodes.put(NodeMode.INVALIDATION_OFF, urls(line, "no-invalidation-urls"));
        nodes.put(NodeMode.CACHE_OFF, urls(line, "uncached-urls"));
        return new UrlClusterTarget(nodes, new BearerTokens(jwtSecret(), TOKEN_LIFETIME),
                line.value("kafka-bootstrap").orElse(null));
    }

    private static double requestsPerSecond(String rate) {
        try {
            double value = Double.parseDouble(rate);
            if (value > 0 && Double.isFinite(value)) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new CommandLine.UsageException("--rate takes a positive number of requests per second: " + rate);
    }

    private static double samplingRate(String share) {
        try {
            double value = Double.parseDouble(share);
            if (value >= 0 && value <= 1) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new CommandLine.UsageException("--sampling-rate takes a share of cache hits from 0 to 1: " + share);
    }

    private static List<URI> urls(CommandLine line, String option) {
        return line.list(option).stream().map(URI::create).toList();
    }

    private static String jwtSecret() {
        String secret = System.getenv(BearerTokens.SECRET_ENVIRONMENT_VARIABLE);
        if (secret == null || secret.isBlank()) {
            throw new CommandLine.UsageException("set " + BearerTokens.SECRET_ENVIRONMENT_VARIABLE
                    + " to the secret the API nodes verify tokens with");
        }
        return secret;
    }

    private static String usage() {
        return String.format(Locale.ROOT, USAGE_TEXT, String.join(", ", Profiles.names()), DEFAULT_SAMPLING_RATE);
    }
}
