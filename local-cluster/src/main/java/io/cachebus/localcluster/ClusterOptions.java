package io.cachebus.localcluster;

import io.cachebus.local.kafka.KafkaBroker;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The shape of a local cluster: how many API nodes and invalidators, whether to use a redis-server, which
 * database, and extra properties for the services (as {@code key=value} application properties).
 *
 * @param apiNodes                API nodes, each a Spring context on its own loopback port (default 3)
 * @param invalidators            invalidator instances in one consumer group (default 1)
 * @param useRedis                start a redis-server of the cluster's own when one is installed (default true);
 *                                without one every node runs on its in-memory fallback L2, announced loudly
 * @param redisClusterPrimaries   0 (default): one standalone redis-server; more: a Redis Cluster of that many
 *                                primaries instead (no replicas), which the services reach through
 *                                {@code spring.data.redis.cluster.nodes}
 * @param mutationPartitions      partitions of the mutation topic, the most invalidator consumers that can share
 *                                the work (default {@link KafkaBroker#MUTATION_PARTITIONS})
 * @param jdbcUrl                 the database all API nodes share; {@code null} = a fresh in-memory H2 shared in this JVM
 * @param apiProperties           extra properties for every API node
 * @param invalidatorProperties   extra properties for every invalidator
 * @param separateJvm             names of the services ({@code api-3}, {@code invalidator-1}, ...) that run in a JVM
 *                                of their own, so a drill can kill them with SIGKILL (default none: every service is
 *                                a Spring context in this JVM, quick to start and open to inspection)
 * @param kafkaThroughProxy       names of the API nodes ({@code api-2}, ...) that reach Kafka only through a proxy the
 *                                harness can close, to cut them off from Kafka alone (default none; any name makes the
 *                                broker start with its proxied listener, {@link KafkaBroker#startWithProxiedListener})
 * @param topology                whether everything runs in this JVM (default) or each part in a process of its own
 * @param placement               the CPUs each process of the {@link Topology#PROCESSES} topology is pinned to
 *                                (default none)
 */
public record ClusterOptions(
        int apiNodes,
        int invalidators,
        boolean useRedis,
        int redisClusterPrimaries,
        int mutationPartitions,
        String jdbcUrl,
        Map<String, String> apiProperties,
        Map<String, String> invalidatorProperties,
        Set<String> separateJvm,
        Set<String> kafkaThroughProxy,
        Topology topology,
        CorePlacement placement) {

    /**
     * A value of {@link #apiProperties()} that each API node replaces with a free loopback port of its own, for
     * a service that listens on a second port (read it back with {@link ServiceInstance#property}).
     */
    public static final String FREE_PORT = "<free port>";

    public ClusterOptions {
        if (apiNodes < 1 || invalidators < 0) {
            throw new IllegalArgumentException("need at least one API node and no negative invalidator count");
        }
        if (redisClusterPrimaries < 0 || mutationPartitions < 1) {
            throw new IllegalArgumentException("no negative number of Redis Cluster primaries, at least one partition");
        }
        apiProperties = Map.copyOf(apiProperties);
        invalidatorProperties = Map.copyOf(invalidatorProperties);
        separateJvm = Set.copyOf(separateJvm);
        kafkaThroughProxy = Set.copyOf(kafkaThroughProxy);
        if (topology == null || placement == null) {
            throw new IllegalArgumentException("a topology and a placement (CorePlacement.none() for none)");
        }
    }

    public static ClusterOptions defaults() {
        return new ClusterOptions(3, 1, true, 0, KafkaBroker.MUTATION_PARTITIONS, null, Map.of(), Map.of(), Set.of(),
                Set.of(), Topology.IN_JVM, CorePlacement.none());
    }

    public ClusterOptions withApiNodes(int count) {
        return new ClusterOptions(count, invalidators, useRedis, redisClusterPrimaries, mutationPartitions, jdbcUrl,
                apiProperties, invalidatorProperties, separateJvm, kafkaThroughProxy, topology, placement);
    }

    public ClusterOptions withInvalidators(int count) {
        return new ClusterOptions(apiNodes, count, useRedis, redisClusterPrimaries, mutationPartitions, jdbcUrl,
                apiProperties, invalidatorProperties, separateJvm, kafkaThroughProxy, topology, placement);
    }

    public ClusterOptions withoutRedis() {
        return new ClusterOptions(apiNodes, invalidators, false, redisClusterPrimaries, mutationPartitions, jdbcUrl,
                apiProperties, invalidatorProperties, separateJvm, kafkaThroughProxy, topology, placement);
    }

    /** A Redis Cluster of {@code primaries} primaries instead of one redis-server (0: back to one redis-server). */
    public ClusterOptions withRedisCluster(int primaries) {
        return new ClusterOptions(apiNodes, invalidators, useRedis, primaries, mutationPartitions, jdbcUrl,
                apiProperties, invalidatorProperties, separateJvm, kafkaThroughProxy, topology, placement);
    }

    public ClusterOptions withMutationPartitions(int partitions) {
        return new ClusterOptions(apiNodes, invalidators, useRedis, redisClusterPrimaries, partitions, jdbcUrl,
                apiProperties, invalidatorProperties, separateJvm, kafkaThroughProxy, topology, placement);
    }

    public ClusterOptions withJdbcUrl(String url) {
        return new ClusterOptions(apiNodes, invalidators, useRedis, redisClusterPrimaries, mutationPartitions, url,
                apiProperties, invalidatorProperties, separateJvm, kafkaThroughProxy, topology, placement);
    }

    public ClusterOptions withApiProperty(String key, String value) {
        Map<String, String> merged = new LinkedHashMap<>(apiProperties);
        merged.put(key, value);
        return new ClusterOptions(apiNodes, invalidators, useRedis, redisClusterPrimaries, mutationPartitions, jdbcUrl,
                merged, invalidatorProperties, separateJvm, kafkaThroughProxy, topology, placement);
    }

    public ClusterOptions withInvalidatorProperty(String key, String value) {
        Map<String, String> merged = new LinkedHashMap<>(invalidatorProperties);
        merged.put(key, value);
        return new ClusterOptions(apiNodes, invalidators, useRedis, redisClusterPrimaries, mutationPartitions, jdbcUrl,
                apiProperties, merged, separateJvm, kafkaThroughProxy, topology, placement);
    }

    /** Runs the named services (e.g. {@code "api-4"}, {@code "invalidator-1"}) each in a JVM of its own. */
    public ClusterOptions withSeparateJvm(String... services) {
        Set<String> names = Set.copyOf(Stream.concat(separateJvm.stream(), Stream.of(services)).toList());
        return new ClusterOptions(apiNodes, invalidators, useRedis, redisClusterPrimaries, mutationPartitions, jdbcUrl,
                apiProperties, invalidatorProperties, names, kafkaThroughProxy, topology, placement);
    }

    /** Lets the named API nodes (e.g. {@code "api-2"}) reach Kafka only through the broker's proxy. */
    public ClusterOptions withKafkaThroughProxy(String... nodes) {
        Set<String> names = Set.copyOf(Stream.concat(kafkaThroughProxy.stream(), Stream.of(nodes)).toList());
        return new ClusterOptions(apiNodes, invalidators, useRedis, redisClusterPrimaries, mutationPartitions, jdbcUrl,
                apiProperties, invalidatorProperties, separateJvm, names, topology, placement);
    }

    /** Each part in a process of its own ({@link Topology#PROCESSES}), or all in this JVM ({@link Topology#IN_JVM}). */
    public ClusterOptions withTopology(Topology where) {
        return new ClusterOptions(apiNodes, invalidators, useRedis, redisClusterPrimaries, mutationPartitions, jdbcUrl,
                apiProperties, invalidatorProperties, separateJvm, kafkaThroughProxy, where, placement);
    }

    /** Pins the processes of the {@link Topology#PROCESSES} topology as {@code cpus} says. */
    public ClusterOptions withPlacement(CorePlacement cpus) {
        return new ClusterOptions(apiNodes, invalidators, useRedis, redisClusterPrimaries, mutationPartitions, jdbcUrl,
                apiProperties, invalidatorProperties, separateJvm, kafkaThroughProxy, topology, cpus);
    }
}
