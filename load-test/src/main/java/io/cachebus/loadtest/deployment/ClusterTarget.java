package io.cachebus.loadtest.deployment;

import io.cachebus.localcluster.dataset.DatasetSummary;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A cachebus deployment the harness drives over HTTP: a local cluster it started, or one given by URLs.
 * What a target cannot offer (a switched-off baseline, access to Kafka) is empty, and the measurements that need
 * it are reported as not measured, with the reason, rather than guessed.
 */
public interface ClusterTarget extends AutoCloseable {

    /** One line for the report: what was measured. */
    String description();

    /** The API nodes as deployed (at least one), in a stable order. */
    List<URI> apiNodes();

    /**
     * API nodes in {@code mode}, sharing the database of {@link #apiNodes()}, or empty when this target cannot
     * provide them. {@link NodeMode#NORMAL} always gives {@link #apiNodes()}.
     */
    Optional<ApiNodes> nodes(NodeMode mode);

    /** A bearer token the API nodes accept for {@code tenant}. */
    String bearerToken(String tenant);

    /** Where a node's Prometheus metrics are scraped. */
    default URI metricsEndpoint(URI apiNode) {
        return apiNode.resolve("/actuator/prometheus");
    }

    /** The Kafka bootstrap servers the services use, when the harness may produce to and read from them. */
    Optional<String> kafkaBootstrapServers();

    /** Control over the invalidator instances, when the target owns them. */
    Optional<InvalidatorControl> invalidators();

    /**
     * The processes measured and where they ran, for the report's {@code topology} ({@code processes},
     * {@code pinning}), when the target started them.
     */
    default Optional<Map<String, Object>> topology() {
        return Optional.empty();
    }

    /** The dataset the target's database holds, for the report's {@code dataset}, when the target made sure of it. */
    default Optional<DatasetSummary> dataset() {
        return Optional.empty();
    }

    /** Releases whatever the target started; a target given by URLs leaves the deployment running. */
    @Override
    void close();
}
