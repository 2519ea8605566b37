package io.cachebus.cluster.support.cluster;

import io.cachebus.api.security.LocalTokens;
import io.cachebus.cluster.support.api.Paths;
import io.cachebus.cluster.support.faults.InvalidatorPause;
import io.cachebus.cluster.support.faults.InvalidatorTestHooks;
import io.cachebus.cluster.support.observe.Backlog;
import io.cachebus.cluster.support.observe.RedisInspector;
import io.cachebus.events.CacheKeys;
import io.cachebus.events.Topics;
import io.cachebus.local.kafka.LocalKafka;
import io.cachebus.localcluster.ClusterFault;
import io.cachebus.localcluster.LocalCluster;
import io.cachebus.localcluster.ServiceInstance;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.common.utils.Utils;

/**
 * A running {@link LocalCluster} as the tests use it: its API nodes with their test hooks, tokens for any tenant,
 * the cluster's Redis, and the backlogs that must drain (outbox rows, consumer lag).
 */
public final class TestCluster implements AutoCloseable {

    private static final Duration TOKEN_LIFETIME = Duration.ofHours(2);

    /** On the outage cluster: the API node that runs in a JVM of its own, and is killed by the drills. */
    public static final String CRASHABLE_API_NODE = "api-4";
    /** On the outage cluster: the invalidator that runs in a JVM of its own, and is killed by the drills. */
    public static final String CRASHABLE_INVALIDATOR = "invalidator-1";

    private final ClusterKind kind;
    private final LocalCluster cluster;
    private final List<ApiNode> everyApiNode;
    private final List<ApiNode> apiNodes;
    private final RedisInspector redis;
    private final Backlog backlog;

    TestCluster(ClusterKind kind, LocalCluster cluster) {
        this.kind = kind;
        this.cluster = cluster;
        this.everyApiNode = cluster.apiNodes().stream().map(node -> new ApiNode(node, this)).toList();
        this.apiNodes = everyApiNode.stream().filter(node -> node.instance().runsInThisJvm()).toList();
        this.redis = new RedisInspector(cluster.redis().orElseThrow(() -> new IllegalStateException(
                "the cluster runs without redis-server")));
        this.backlog = new Backlog(cluster);
    }

    public ClusterKind kind() {
        return kind;
    }

    /** The cluster's API nodes in this JVM (three), in start order: the ones whose caches tests can inspect. */
    public List<ApiNode> apiNodes() {
        return apiNodes;
    }

    /** Every API node, also those in JVMs of their own (seen over HTTP only), in start order. */
    public List<ApiNode> everyApiNode() {
        return everyApiNode;
    }

    /** The API node in a JVM of its own, which drills kill with SIGKILL (outage cluster only). */
    public ApiNode crashableApiNode() {
        return everyApiNode.stream().filter(node -> node.name().equals(CRASHABLE_API_NODE)
                && !node.instance().runsInThisJvm()).findFirst()
                .orElseThrow(() -> new IllegalStateException(kind + " has no API node in a JVM of its own"));
    }

    /** The invalidator in a JVM of its own, which drills kill with SIGKILL (outage cluster only). */
    public ServiceInstance crashableInvalidator() {
        return cluster.invalidators().stream().filter(i -> i.name().equals(CRASHABLE_INVALIDATOR)
                && !i.runsInThisJvm()).findFirst()
                .orElseThrow(() -> new IllegalStateException(kind + " has no invalidator in a JVM of its own"));
    }

    /**
     * A fresh tenant ({@code prefix-} and eight random characters) whose mutations of both domains all go to
     * partitions the given invalidator consumes now (record key {@code tenant:domain}, Kafka's default partitioner).
     */
    public String tenantConsumedBy(ServiceInstance invalidator, String prefix) {
        Set<Integer> held = backlog.partitionsHeldBy(invalidator.name());
        if (held.isEmpty()) {
            throw new IllegalStateException(invalidator + " holds no partition of " + Topics.DOMAIN_MUTATED);
        }
        while (true) {
            String tenant = newTenant(prefix);
            if (Stream.of(Paths.WORKFLOWS_DOMAIN, Paths.NOTIFICATIONS_DOMAIN)
                    .allMatch(domain -> held.contains(partitionOf(CacheKeys.recordKey(tenant, domain))))) {
                return tenant;
            }
        }
    }

    private int partitionOf(String recordKey) {
        return Utils.toPositive(Utils.murmur2(recordKey.getBytes(StandardCharsets.UTF_8)))
                % cluster.mutationPartitions();
    }

    /** Holds an invalidator's invalidations between its Redis work and its broadcast ({@link InvalidatorTestHooks}). */
    public InvalidatorTestHooks.Control invalidatorHooks() {
        return new InvalidatorTestHooks.Control(InvalidatorTestHooks.directory());
    }

    public ApiNode apiNode(int index) {
        return apiNodes.get(index);
    }

    /**
     * Starts one more API node on the cluster's database, Kafka and Redis, with the test hooks and
     * {@code properties} on top; it is closed with the cluster (or earlier by the test).
     */
    public ApiNode startExtraApiNode(String name, Map<String, String> properties) {
        return new ApiNode(cluster.startExtraApiNode(name, properties), this);
    }

    public List<ServiceInstance> invalidators() {
        return cluster.invalidators();
    }

    /** {@code kind} from the local cluster's fault catalogue, aimed at this cluster (and {@code victim}, if given). */
    public ClusterFault.Fault fault(ClusterFault kind, ServiceInstance victim) {
        return kind.on(cluster, victim);
    }

    public LocalKafka kafka() {
        return cluster.kafka();
    }

    public RedisInspector redis() {
        return redis;
    }

    /** Outbox rows and consumer lag: what is still on its way to the invalidators. */
    public Backlog backlog() {
        return backlog;
    }

    /** A bearer token for {@code tenant}, signed with the secret every node of this cluster verifies with. */
    public String token(String tenant) {
        return LocalTokens.mint(cluster.jwtSecret(), tenant, TOKEN_LIFETIME, "cluster-test");
    }

    public String jwtSecret() {
        return cluster.jwtSecret();
    }

    /** A tenant no other test uses: {@code prefix-} and eight random characters. */
    public static String newTenant(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Pauses every invalidator's consumption of mutations until the returned pause is closed. */
    public InvalidatorPause pauseInvalidators() {
        return InvalidatorPause.of(cluster.invalidators());
    }

    @Override
    public void close() {
        redis.close();
        cluster.close();
    }
}
