package io.cachebus.loadtest.cluster;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The shape of a local cluster: how many API nodes and invalidators, whether to use a redis-server, which
 * database, and extra properties for the services (as {@code key=value} application properties).
 *
 * @param apiNodes                API nodes, each a Spring context on its own loopback port (default 3)
 * @param invalidators            invalidator instances in one consumer group (default 1)
 * @param useRedis                start a redis-server of the cluster's own when one is installed (default true);
 *                                without one every node runs on its in-memory fallback L2, announced loudly
 * @param jdbcUrl                 the database all API nodes share; {@code null} = a fresh in-memory H2 shared in this JVM
 * @param apiProperties           extra properties for every API node
 * @param invalidatorProperties   extra properties for every invalidator
 */
public record ClusterOptions(
        int apiNodes,
        int invalidators,
        boolean useRedis,
        String jdbcUrl,
        Map<String, String> apiProperties,
        Map<String, String> invalidatorProperties) {

    public ClusterOptions {
        if (apiNodes < 1 || invalidators < 0) {
            throw new IllegalArgumentException("need at least one API node and no negative invalidator count");
        }
        apiProperties = Map.copyOf(apiProperties);
        invalidatorProperties = Map.copyOf(invalidatorProperties);
    }

    public static ClusterOptions defaults() {
        return new ClusterOptions(3, 1, true, null, Map.of(), Map.of());
    }

    public ClusterOptions withApiNodes(int count) {
        return new ClusterOptions(count, invalidators, useRedis, jdbcUrl, apiProperties, invalidatorProperties);
    }

    public ClusterOptions withInvalidators(int count) {
        return new ClusterOptions(apiNodes, count, useRedis, jdbcUrl, apiProperties, invalidatorProperties);
    }

    public ClusterOptions withoutRedis() {
        return new ClusterOptions(apiNodes, invalidators, false, jdbcUrl, apiProperties, invalidatorProperties);
    }

    public ClusterOptions withJdbcUrl(String url) {
        return new ClusterOptions(apiNodes, invalidators, useRedis, url, apiProperties, invalidatorProperties);
    }

    public ClusterOptions withApiProperty(String key, String value) {
        Map<String, String> merged = new LinkedHashMap<>(apiProperties);
        merged.put(key, value);
        return new ClusterOptions(apiNodes, invalidators, useRedis, jdbcUrl, merged, invalidatorProperties);
    }

    public ClusterOptions withInvalidatorProperty(String key, String value) {
        Map<String, String> merged = new LinkedHashMap<>(invalidatorProperties);
        merged.put(key, value);
        return new ClusterOptions(apiNodes, invalidators, useRedis, jdbcUrl, apiProperties, merged);
    }
}
