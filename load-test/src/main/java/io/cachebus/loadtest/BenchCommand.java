package io.cachebus.loadtest;

import io.cachebus.loadtest.deployment.BearerTokens;
import io.cachebus.loadtest.deployment.ClusterTarget;
import io.cachebus.loadtest.deployment.NodeMode;
import io.cachebus.loadtest.deployment.url.UrlClusterTarget;
import io.cachebus.loadtest.profile.Profile;
import io.cachebus.loadtest.profile.Profiles;
import io.cachebus.localcluster.Topology;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.DoublePredicate;
import org.springframework.boot.convert.DurationStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code cachebus bench}: a load-test profile against a local cluster or a deployment given by URL. */
@Command(name = "bench", sortOptions = false, description = {"Run a load-test profile and write DIR/NAME.json, NAME.md and"
        + " NAME-latency.png. Without --target-urls it starts a local cluster on loopback (by default each part a process"
        + " of its own, on PostgreSQL with a generated dataset) and measures that; with them"
        + " it measures that deployment, with tokens signed with $" + BearerTokens.SECRET_ENVIRONMENT_VARIABLE + "."},
        footer = {"%nExit status: 0 done, 1 a phase failed, 2 bad command line, 3 a target was missed"
                + " (--enforce-targets)."})
final class BenchCommand implements Callable<Integer> {

    private static final Duration TOKEN_LIFETIME = Duration.ofHours(12);

    private final CachebusCli.Console console;

    @Spec
    private CommandSpec spec;

    @Mixin
    private CachebusCli.HelpOption help;

    @Option(names = "--profile", paramLabel = "NAME", required = true, converter = ProfileConverter.class,
            completionCandidates = ProfileNames.class,
            description = "The profile to run: ${COMPLETION-CANDIDATES} (quick checks a change in about three minutes).")
    private Profile profile;

    @Option(names = "--output-dir", paramLabel = "DIR", defaultValue = "target/bench",
            description = "Where the report goes (default: ${DEFAULT-VALUE}).")
    private Path outputDirectory;

    @Option(names = "--rate", paramLabel = "REQUESTS_PER_S", converter = PositiveRate.class,
            description = "Replaces the profile's open-loop arrival rate (to find a deployment's capacity).")
    private Double rate;

    @Option(names = "--sampling-rate", paramLabel = "SHARE", converter = Share.class,
            description = "The share of cache hits the local cluster's nodes check against the database"
                    + " (cachebus.consistency.sampling.rate, the nodes' default unless given); 1 checks every hit, so"
                    + " the nodes' count of stale hits can be set beside the harness's stale reads.")
    private Double samplingRate;

    @Option(names = "--max-staleness", paramLabel = "DURATION", converter = PositiveDuration.class,
            description = "The staleness bound the local cluster's nodes enforce (cachebus.consistency.max-staleness,"
                    + " e.g. 100ms; the nodes' default, 1s, unless given): the report counts stale reads beyond it"
                    + " apart from those beyond the profile's bound.")
    private Duration maxStaleness;

    @Option(names = "--target-urls", paramLabel = "URL", split = ",", converter = Url.class,
            description = "Base URLs of the API nodes of a deployment to measure, instead of a local cluster.")
    private List<URI> targetUrls = new ArrayList<>();

    @Option(names = "--no-invalidation-urls", paramLabel = "URL", split = ",", converter = Url.class,
            description = "Nodes of that deployment that publish no invalidations (a baseline).")
    private List<URI> noInvalidationUrls = new ArrayList<>();

    @Option(names = "--uncached-urls", paramLabel = "URL", split = ",", converter = Url.class,
            description = "Nodes of that deployment that cache nothing (a baseline).")
    private List<URI> uncachedUrls = new ArrayList<>();

    @Option(names = "--kafka-bootstrap", paramLabel = "HOST:PORT",
            description = "That deployment's Kafka, for the invalidator throughput phase.")
    private String kafkaBootstrap;

    @Option(names = "--enforce-targets", description = "Exit with status 3 when a target is missed or not measured.")
    private boolean enforceTargets;

    @Mixin
    private TopologyOptions topology;

    BenchCommand(CachebusCli.Console console) {
        this.console = console;
    }

    @Override
    public Integer call() throws Exception {
        refuseOptionsThatDoNotGoTogether();
        Profile measured = rate == null ? profile : profile.withRequestsPerSecond(rate);
        ClusterTarget target = targetUrls.isEmpty()
                ? ProfileRun.startLocalCluster(measured, topology,
                        samplingRate == null ? ProfileRun.DEFAULT_SAMPLING_RATE : samplingRate,
                        Optional.ofNullable(maxStaleness), console.out())
                : urlTarget();
        try (target) {
            return ProfileRun.run(measured, target, outputDirectory, rerunCommand(), console.out(), false,
                    enforceTargets);
        }
    }

    private ClusterTarget urlTarget() {
        Map<NodeMode, List<URI>> nodes = new EnumMap<>(NodeMode.class);
        nodes.put(NodeMode.NORMAL, targetUrls);
        nodes.put(NodeMode.INVALIDATION_OFF, noInvalidationUrls);
        nodes.put(NodeMode.CACHE_OFF, uncachedUrls);
        return new UrlClusterTarget(nodes, new BearerTokens(jwtSecret(), TOKEN_LIFETIME), kafkaBootstrap);
    }

    /** Checked before anything starts. */
    private void refuseOptionsThatDoNotGoTogether() {
        if ((topology.jdbcUrl != null || samplingRate != null || maxStaleness != null) && !targetUrls.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--jdbc-url, --sampling-rate and --max-staleness are for"
                    + " the local cluster, not with --target-urls");
        }
        if (topology.topology == Topology.IN_JVM && topology.asksForProcessesOnly()) {
            throw new ParameterException(spec.commandLine(), "--pin places the processes of --topology processes");
        }
        if (targetUrls.isEmpty() && (!noInvalidationUrls.isEmpty() || !uncachedUrls.isEmpty()
                || kafkaBootstrap != null)) {
            throw new ParameterException(spec.commandLine(), "--no-invalidation-urls, --uncached-urls and"
                    + " --kafka-bootstrap describe a deployment: give its --target-urls too");
        }
    }

    private String jwtSecret() {
        String secret = console.env().get(BearerTokens.SECRET_ENVIRONMENT_VARIABLE);
        if (secret == null || secret.isBlank()) {
            throw new ParameterException(spec.commandLine(), "set " + BearerTokens.SECRET_ENVIRONMENT_VARIABLE
                    + " to the secret the API nodes verify tokens with");
        }
        return secret;
    }

    private String rerunCommand() {
        StringBuilder command = new StringBuilder("./cachebus bench --profile ").append(profile.name());
        if (rate != null) {
            command.append(" --rate ").append(rate);
        }
        if (targetUrls.isEmpty() && topology.topology != Topology.PROCESSES) {
            command.append(" --topology ").append(TopologyOptions.TopologyConverter.name(topology.topology));
        }
        if (targetUrls.isEmpty() && topology.placement != null) {
            command.append(" --pin ").append(topology.placement);
        }
        if (topology.jdbcUrl != null) {
            command.append(" --jdbc-url ").append(topology.jdbcUrl);
        }
        if (samplingRate != null) {
            command.append(" --sampling-rate ").append(samplingRate);
        }
        if (maxStaleness != null) {
            command.append(" --max-staleness ").append(maxStaleness.toMillis()).append("ms");
        }
        if (!targetUrls.isEmpty()) {
            command.append(" --target-urls ").append(String.join(",", targetUrls.stream().map(URI::toString).toList()));
        }
        return command.toString();
    }

    static final class ProfileConverter implements ITypeConverter<Profile> {
        @Override
        public Profile convert(String name) {
            try {
                return Profiles.byName(name);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class ProfileNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Profiles.names().iterator();
        }
    }

    static final class PositiveRate implements ITypeConverter<Double> {
        @Override
        public Double convert(String text) {
            return number(text, value -> value > 0 && Double.isFinite(value), "a positive number of requests per second");
        }
    }

    static final class Share implements ITypeConverter<Double> {
        @Override
        public Double convert(String text) {
            return number(text, value -> value >= 0 && value <= 1, "a share of cache hits from 0 to 1");
        }
    }

    /**
     * A duration as Spring Boot's properties take it ({@code 100ms}, {@code 1s}, {@code PT0.5S}), above zero and in
     * whole milliseconds: the nodes are started with it, and the report's command repeats it, in milliseconds.
     */
    static final class PositiveDuration implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String text) {
            try {
                Duration duration = DurationStyle.detectAndParse(text.strip());
                if (!duration.isNegative() && !duration.isZero() && duration.toNanosPart() % 1_000_000 == 0) {
                    return duration;
                }
            } catch (IllegalArgumentException e) {
                // answered below
            }
            throw new TypeConversionException("a duration above zero like 100ms or 1s, in whole milliseconds, not '"
                    + text + "'");
        }
    }

    /** {@code text} as a number {@code acceptable} accepts; else a usage error saying what {@code expected} is. */
    private static double number(String text, DoublePredicate acceptable, String expected) {
        try {
            double value = Double.parseDouble(text);
            if (acceptable.test(value)) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new TypeConversionException(expected + ", not '" + text + "'");
    }

    static final class Url implements ITypeConverter<URI> {
        @Override
        public URI convert(String text) {
            try {
                URI url = URI.create(text.strip());
                if (url.getScheme() == null || url.getHost() == null) {
                    throw new TypeConversionException("a base URL like http://host:8080, not '" + text + "'");
                }
                return url;
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("a base URL like http://host:8080, not '" + text + "'");
            }
        }
    }
}
