package io.cachebus.cluster.support;

import io.cachebus.api.security.LocalTokens;
import io.cachebus.local.kafka.KafkaBroker;
import io.cachebus.loadtest.cluster.LocalCluster;
import io.cachebus.loadtest.cluster.ServiceInstance;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A running {@link LocalCluster} as the tests use it: its API nodes with their test hooks, tokens for any tenant,
 * the cluster's Redis, and the backlogs that must drain (outbox rows, consumer lag).
 */
public final class TestCluster implements AutoCloseable {

    private static final Duration TOKEN_LIFETIME = Duration.ofHours(2);

    private final ClusterKind kind;
    private final LocalCluster cluster;
    private final List<ApiNode> apiNodes;
    private final RedisInspector redis;
    private final Backlog backlog;

    TestCluster(ClusterKind kind, LocalCluster cluster) {
        this.kind = kind;
        this.cluster = cluster;
        this.apiNodes = cluster.apiNodes().stream().map(node -> new ApiNode(node, this)).toList();
        this.redis = new RedisInspector(cluster.redis().orElseThrow(() -> new IllegalStateException(
                "the cluster runs without redis-server")));
        this.backlog = new Backlog(cluster);
    }

    public ClusterKind kind() {
        return kind;
    }

    /** The cluster's API nodes (three), in start order. */
    public List<ApiNode> apiNodes() {
        return apiNodes;
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

    public KafkaBroker kafka() {
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
