package io.cachebus.loadtest.deployment.url;

import io.cachebus.loadtest.deployment.ApiNodes;
import io.cachebus.loadtest.deployment.BearerTokens;
import io.cachebus.loadtest.deployment.ClusterTarget;
import io.cachebus.loadtest.deployment.InvalidatorControl;
import io.cachebus.loadtest.deployment.NodeMode;
import java.net.URI;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A deployment the harness does not own (e.g. the docker-compose one), given by the base URLs of its API nodes.
 * Baseline phases run only when the deployment also has nodes in those modes and their URLs are given; the
 * invalidator throughput runs only when Kafka is reachable. Nothing is stopped or started.
 */
public final class UrlClusterTarget implements ClusterTarget {

    private final Map<NodeMode, List<URI>> nodesByMode;
    private final BearerTokens tokens;
    private final String kafkaBootstrapServers;

    /**
     * @param nodesByMode           base URLs per mode; {@link NodeMode#NORMAL} is required
     * @param kafkaBootstrapServers the deployment's Kafka, or null when the harness may not reach it
     */
    public UrlClusterTarget(Map<NodeMode, List<URI>> nodesByMode, BearerTokens tokens, String kafkaBootstrapServers) {
        List<URI> normal = nodesByMode.get(NodeMode.NORMAL);
        if (normal == null || normal.isEmpty()) {
            throw new IllegalArgumentException("at least one API node URL is needed");
        }
        this.nodesByMode = new EnumMap<>(NodeMode.class);
        nodesByMode.forEach((mode, urls) -> this.nodesByMode.put(mode, urls.stream().map(UrlClusterTarget::origin).toList()));
        this.tokens = tokens;
        this.kafkaBootstrapServers = kafkaBootstrapServers;
    }

    @Override
    public String description() {
        return "deployment at " + nodesByMode.get(NodeMode.NORMAL);
    }

    @Override
    public List<URI> apiNodes() {
        return nodesByMode.get(NodeMode.NORMAL);
    }

    @Override
    public Optional<ApiNodes> nodes(NodeMode mode) {
        List<URI> urls = nodesByMode.get(mode);
        return urls == null || urls.isEmpty() ? Optional.empty() : Optional.of(ApiNodes.existing(mode, urls));
    }

    @Override
    public String bearerToken(String tenant) {
        return tokens.forTenant(tenant);
    }

    @Override
    public Optional<String> kafkaBootstrapServers() {
        return Optional.ofNullable(kafkaBootstrapServers);
    }

    @Override
    public Optional<InvalidatorControl> invalidators() {
        return Optional.empty();
    }

    @Override
    public void close() {
        // the deployment is not ours
    }

    /** {@code http://host:port}, refusing anything with a path, query or a scheme other than http(s). */
    static URI origin(URI url) {
        String scheme = url.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalArgumentException("not an http(s) URL: " + url);
        }
        if (url.getHost() == null) {
            throw new IllegalArgumentException("no host in " + url);
        }
        String path = url.getPath();
        if ((path != null && !path.isEmpty() && !path.equals("/")) || url.getQuery() != null) {
            throw new IllegalArgumentException("give the node's base URL without a path: " + url);
        }
        return URI.create(scheme + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort()));
    }
}
