package io.cachebus.loadtest.deployment.local;

import io.cachebus.events.Topics;
import io.cachebus.localcluster.ClusterOptions;
import io.cachebus.localcluster.ClusterProcess;
import io.cachebus.localcluster.CoreIsolation;
import io.cachebus.localcluster.LocalCluster;
import io.cachebus.localcluster.ServiceInstance;
import io.cachebus.localcluster.Topology;
import io.cachebus.localcluster.dataset.DatasetSummary;
import io.cachebus.loadtest.deployment.ApiNodes;
import io.cachebus.loadtest.deployment.BearerTokens;
import io.cachebus.loadtest.deployment.ClusterTarget;
import io.cachebus.loadtest.deployment.InvalidatorControl;
import io.cachebus.loadtest.deployment.NodeMode;
import io.cachebus.loadtest.measure.PostgresActivity;
import io.cachebus.loadtest.report.NodeReadFigures.ProcessPlacement;
import io.cachebus.loadtest.profile.Profile;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;

/**
 * A {@link LocalCluster} the harness starts itself, on loopback: in this JVM, or each part a process of its own
 * ({@link Topology#PROCESSES}), the harness then being only the load generator. Baseline nodes for the
 * switched-off modes are started on demand, on the same database, Kafka and Redis, and stopped after their phase.
 */
public final class LocalClusterTarget implements ClusterTarget {

    /**
     * The API node properties of each baseline mode a node of its own is started for. Caching off: no L1, no Redis,
     * and a fallback store that keeps nothing, so every read runs the loader. (Invalidation off is a second port of
     * every node, {@link InvalidationOffPort}, when the cluster was started with it.)
     */
    static final Map<NodeMode, Map<String, String>> MODE_PROPERTIES = modeProperties();

    private static final Duration TOKEN_LIFETIME = Duration.ofHours(12);
    /** How long starting or pausing invalidators may take before the control gives up. */
    private static final Duration CONTROL_TIMEOUT = Duration.ofSeconds(90);

    private final LocalCluster cluster;
    private final BearerTokens tokens;
    private final DatasetSummary dataset;

    private LocalClusterTarget(LocalCluster cluster, DatasetSummary dataset) {
        this.cluster = cluster;
        this.tokens = new BearerTokens(cluster.jwtSecret(), TOKEN_LIFETIME);
        this.dataset = dataset;
    }

    public static LocalClusterTarget start(ClusterOptions options) {
        return new LocalClusterTarget(LocalCluster.start(options), null);
    }

    /** {@link #start(ClusterOptions)} on a database that holds {@code dataset} (generated or found before). */
    public static LocalClusterTarget start(ClusterOptions options, DatasetSummary dataset) {
        return new LocalClusterTarget(LocalCluster.start(options, standbyNodes()), dataset);
    }

    /**
     * The baseline nodes a run compares against, started with the cluster and frozen until their phase (in the
     * processes topology): a JVM's start is most of a minute of two cores' time, which beside the cluster's own start
     * adds less than after it.
     */
    static Map<String, Map<String, String>> standbyNodes() {
        Map<String, Map<String, String>> nodes = new LinkedHashMap<>();
        MODE_PROPERTIES.forEach((mode, properties) -> nodes.put(baselineNodeName(mode), properties));
        return nodes;
    }

    private static String baselineNodeName(NodeMode mode) {
        return "api-" + mode.name().toLowerCase(Locale.ROOT).replace('_', '-') + "-1";
    }

    /**
     * The embedded defaults of the demo, with the services' logs at WARN so the progress line stays readable
     * (the invalidator logs every invalidation at INFO).
     */
    public static ClusterOptions quietDefaults() {
        return quietDefaults(Profile.LocalShape.standard());
    }

    /** {@link #quietDefaults()} in the shape a profile asks for: nodes, invalidators, partitions, Redis Cluster. */
    public static ClusterOptions quietDefaults(Profile.LocalShape shape) {
        ClusterOptions options = ClusterOptions.defaults()
                .withApiNodes(shape.apiNodes())
                .withInvalidators(shape.invalidators())
                .withMutationPartitions(shape.mutationPartitions())
                .withRedisCluster(shape.redisClusterPrimaries())
                .withSeparateJvm(shape.separateJvm().toArray(String[]::new))
                .withKafkaThroughProxy(shape.kafkaThroughProxy().toArray(String[]::new))
                // the read throughput phase sets cached reads against what the node serves with no cache at all
                .withApiProperty("cachebus.bench.ceiling-endpoint.enabled", "true")
                // the load phase sets writes against the same node's writes with invalidation off
                .withApiProperty("spring.main.sources", InvalidationOffPort.class.getName())
                .withApiProperty(InvalidationOffPort.PORT_PROPERTY, ClusterOptions.FREE_PORT);
        for (Map.Entry<String, String> quiet : QUIET.entrySet()) {
            options = options.withApiProperty(quiet.getKey(), quiet.getValue())
                    .withInvalidatorProperty(quiet.getKey(), quiet.getValue());
        }
        return options;
    }

    /**
     * The API nodes check {@code rate} of their cache hits against the database and call one stale when it is still
     * served {@code bound} after the database was seen to hold newer data: the harness's own rule for a stale read
     * (data superseded more than the bound before), so the report's two counts measure the same thing.
     */
    public static ClusterOptions withConsistencySampling(ClusterOptions options, double rate, Duration bound) {
        return options.withApiProperty("cachebus.consistency.sampling.rate", String.valueOf(rate))
                .withApiProperty("cachebus.consistency.sampling.confirm-after", Math.max(1, bound.toMillis()) + "ms");
    }

    /** The nodes enforce {@code bound} as their staleness bound ({@code cachebus.consistency.max-staleness}). */
    public static ClusterOptions withNodesMaxStaleness(ClusterOptions options, Duration bound) {
        return options.withApiProperty("cachebus.consistency.max-staleness", bound.toMillis() + "ms");
    }

    private static final Map<String, String> QUIET = Map.of(
            "logging.level.root", "WARN",
            "spring.main.banner-mode", "off");

    public LocalCluster cluster() {
        return cluster;
    }

    @Override
    public String description() {
        boolean processes = cluster.options().topology() == Topology.PROCESSES;
        return "local cluster on loopback" + (processes ? ", each part a process of its own" : ", in one JVM") + ": "
                + cluster.apiNodes().size() + " API nodes, "
                + cluster.invalidators().size() + " invalidator(s), " + (processes ? "Kafka in its own JVM" : "in-process Kafka") + " ("
                + cluster.mutationPartitions() + " mutation partitions), "
                + cluster.redisCluster().map(redis -> "Redis Cluster of " + redis.primaries().size() + " primaries")
                        .or(() -> cluster.redis().map(redis -> "redis-server"))
                        .orElse("in-memory fallback L2 (no redis-server)")
                + (cluster.jdbcUrl().startsWith("jdbc:h2:mem:") ? ", embedded H2"
                        : ", database " + cluster.jdbcUrl().replaceAll("[?;].*", ""))
                + (cluster.options().placement().isEmpty() ? "" : ", pinned " + cpusByProcess());
    }

    private Map<String, String> cpusByProcess() {
        return new TreeMap<>(cluster.options().placement().cpus());
    }

    @Override
    public Optional<String> pinning() {
        return cluster.options().placement().isEmpty() ? Optional.empty() : Optional.of(cpusByProcess().toString());
    }

    @Override
    public Optional<Map<String, Object>> processLayout() {
        Map<String, Object> topology = new LinkedHashMap<>();
        topology.put("kind", cluster.options().topology().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        topology.put("processes", cluster.processLayout().stream().map(process -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", process.name());
            entry.put("pid", process.pid());
            entry.put("cpus", process.cpus());
            entry.put("jvm", process.flags());
            return entry;
        }).toList());
        topology.put("pinning", cpusByProcess());
        return Optional.of(topology);
    }

    @Override
    public Optional<DatasetSummary> dataset() {
        return Optional.ofNullable(dataset);
    }

    @Override
    public List<URI> apiNodes() {
        return cluster.apiNodes().stream().map(node -> URI.create(node.baseUrl())).toList();
    }

    @Override
    public List<URI> invalidatorUrls() {
        return cluster.invalidators().stream().map(invalidator -> URI.create(invalidator.baseUrl())).toList();
    }

    @Override
    public Optional<ApiNodes> nodes(NodeMode mode) {
        if (mode == NodeMode.NORMAL) {
            return Optional.of(ApiNodes.existing(mode, apiNodes()));
        }
        if (mode == NodeMode.INVALIDATION_OFF) {
            List<URI> baselinePorts = cluster.apiNodes().stream()
                    .flatMap(node -> node.property(InvalidationOffPort.PORT_PROPERTY).stream())
                    .map(port -> URI.create("http://127.0.0.1:" + port))
                    .toList();
            if (baselinePorts.size() == cluster.apiNodes().size()) {
                return Optional.of(ApiNodes.existing(mode, baselinePorts));
            }
        }
        Map<String, String> properties = MODE_PROPERTIES.get(mode);
        if (properties == null) {
            return Optional.empty();
        }
        // One node: the phases that compare against caching off measure one node (the node under test's twin),
        // started with the cluster and frozen since, or now
        String name = baselineNodeName(mode);
        List<ServiceInstance> started = List.of(cluster.standbyApiNode(name)
                .orElseGet(() -> cluster.startExtraApiNode(name, properties)));
        List<URI> urls = started.stream().map(node -> URI.create(node.baseUrl())).toList();
        return Optional.of(new ApiNodes() {
            @Override
            public NodeMode mode() {
                return mode;
            }

            @Override
            public List<URI> urls() {
                return urls;
            }

            @Override
            public void close() {
                started.forEach(ServiceInstance::close);
            }
        });
    }

    /**
     * Every process of the cluster whose id is known (the harness with whatever runs in it, the Kafka JVM,
     * redis-server, each service's JVM of its own), from the cluster's own layout; the shared PostgreSQL server is
     * left out: its backends are not the cluster's.
     */
    @Override
    public List<ProcessPlacement> processes() {
        long harness = ProcessHandle.current().pid();
        Map<Long, List<String>> runsByPid = new LinkedHashMap<>();
        for (ClusterProcess process : cluster.processLayout()) {
            if (process.pid() > 0) {
                runsByPid.computeIfAbsent(process.pid(), pid -> new ArrayList<>()).add(process.name());
            }
        }
        if (cluster.jdbcUrl().startsWith("jdbc:h2:")) {
            runsByPid.computeIfAbsent(harness, pid -> new ArrayList<>()).add("H2 database");
        }
        return runsByPid.entrySet().stream().map(process -> new ProcessPlacement(
                process.getKey() == harness ? "harness" : process.getValue().get(0), process.getKey(),
                process.getValue())).toList();
    }

    @Override
    public Optional<String> beforePhase() {
        return databaseUrl().map(DatabaseVacuum::run);
    }

    @Override
    public Optional<String> databaseUrl() {
        return Optional.of(cluster.jdbcUrl()).filter(PostgresActivity::isPostgres);
    }

    @Override
    public String bearerToken(String tenant) {
        return tokens.forTenant(tenant);
    }

    @Override
    public Optional<String> kafkaBootstrapServers() {
        return Optional.of(cluster.kafka().bootstrapServers());
    }

    @Override
    public Optional<InvalidatorControl> invalidators() {
        List<ServiceInstance> invalidators = cluster.invalidators();
        if (invalidators.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new InvalidatorControl() {
            @Override
            public int instances() {
                return invalidators.size();
            }

            @Override
            public String consumerGroup() {
                return cluster.invalidatorGroup();
            }

            @Override
            public void stopAll() {
                invalidators.forEach(ServiceInstance::stop);
            }

            @Override
            public void start(int count) {
                if (count < 1 || count > invalidators.size()) {
                    throw new IllegalArgumentException("between 1 and " + invalidators.size() + " instances");
                }
                invalidators.subList(0, count).forEach(ServiceInstance::start);
                awaitPartitionsShared();
            }

            /**
             * In the harness's JVM the consumers pause; in a process of its own the invalidator is frozen (SIGSTOP),
             * which keeps its partitions as long as its consumer's session lasts (45 s by default).
             */
            @Override
            public void pause() {
                ownJvm(invalidators).forEach(ServiceInstance::suspend);
                inThisJvm(invalidators).forEach(container -> container.pause());
                awaitUntil(() -> inThisJvm(invalidators).allMatch(container -> container.isContainerPaused()),
                        "the invalidators' consumers to pause");
            }

            @Override
            public void resume() {
                ownJvm(invalidators).forEach(ServiceInstance::continueRunning);
                inThisJvm(invalidators).forEach(container -> container.resume());
            }
        });
    }

    /**
     * Waits until the group is stable with every mutation partition assigned exactly once, as its coordinator sees it
     * (which works wherever the invalidators run; stopped ones have left the group).
     */
    private void awaitPartitionsShared() {
        int partitions = cluster.mutationPartitions();
        try (Admin admin = cluster.kafka().admin()) {
            awaitUntil(() -> {
                ConsumerGroupDescription group;
                try {
                    group = admin.describeConsumerGroups(List.of(cluster.invalidatorGroup())).all()
                            .get(10, TimeUnit.SECONDS).get(cluster.invalidatorGroup());
                } catch (ExecutionException | TimeoutException e) {
                    return false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while describing the invalidator group", e);
                }
                List<Integer> assigned = group.members().stream()
                        .flatMap(member -> member.assignment().topicPartitions().stream())
                        .filter(partition -> partition.topic().equals(Topics.DOMAIN_MUTATED))
                        .map(TopicPartition::partition)
                        .toList();
                return group.groupState() == GroupState.STABLE && assigned.size() == partitions
                        && Set.copyOf(assigned).size() == partitions;
            }, "the invalidator group to share all " + partitions + " partitions");
        }
    }

    private static Stream<ServiceInstance> ownJvm(List<ServiceInstance> invalidators) {
        return invalidators.stream().filter(ServiceInstance::isRunning).filter(instance -> !instance.runsInThisJvm());
    }

    @SuppressWarnings("unchecked")
    private static Stream<ConcurrentMessageListenerContainer<String, byte[]>> inThisJvm(
            List<ServiceInstance> invalidators) {
        return invalidators.stream().filter(ServiceInstance::isRunning).filter(ServiceInstance::runsInThisJvm)
                .map(instance -> (ConcurrentMessageListenerContainer<String, byte[]>)
                        instance.bean(ConcurrentMessageListenerContainer.class));
    }

    private static void awaitUntil(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + CONTROL_TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + CONTROL_TIMEOUT.toSeconds() + " s waiting for "
                        + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
        }
    }

    @Override
    public Optional<Isolation> isolate(List<URI> nodesUnderTest) {
        List<String> baseUrls = nodesUnderTest.stream().map(url -> url.toString().replaceAll("/$", "")).toList();
        return cluster.isolate(baseUrls).map(LocalClusterTarget::asIsolation);
    }

    @Override
    public Optional<Isolation> isolateFirstInvalidator() {
        return cluster.isolateFirstInvalidator().map(LocalClusterTarget::asIsolation);
    }

    private static Isolation asIsolation(CoreIsolation isolation) {
        return new Isolation() {
            @Override
            public String description() {
                return isolation.description();
            }

            @Override
            public void close() {
                isolation.close();
            }
        };
    }

    @Override
    public void close() {
        cluster.close();
    }

    private static Map<NodeMode, Map<String, String>> modeProperties() {
        Map<NodeMode, Map<String, String>> modes = new EnumMap<>(NodeMode.class);
        modes.put(NodeMode.CACHE_OFF, Map.of(
                "cachebus.l1.max-size", "0",
                "cachebus.l2.enabled", "false",
                "cachebus.fallback.max-size", "0"));
        return Map.copyOf(modes);
    }
}
