package io.cachebus.loadtest.deployment;

import io.cachebus.loadtest.report.NodeReadFigures.ProcessPlacement;
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

    /**
     * The invalidator instances' base URLs (their metrics are scraped at {@link #metricsEndpoint}), when the target
     * knows them; empty otherwise, and what only they measure is not measured.
     */
    default List<URI> invalidatorUrls() {
        return List.of();
    }

    /** The Kafka bootstrap servers the services use, when the harness may produce to and read from them. */
    Optional<String> kafkaBootstrapServers();

    /** Control over the invalidator instances, when the target owns them. */
    Optional<InvalidatorControl> invalidators();

    /**
     * The deployment's processes on this machine whose CPU time the harness can read (each with the services it
     * runs: several when they share one JVM); empty when it knows none.
     */
    default List<ProcessPlacement> processes() {
        return List.of();
    }

    /** How the processes are placed on cores ({@code taskset}), when the target pinned them; empty when not. */
    default Optional<String> pinning() {
        return Optional.empty();
    }

    /** A JDBC URL (credentials in it) of the API nodes' database the harness may read statistics from. */
    default Optional<String> databaseUrl() {
        return Optional.empty();
    }

    /**
     * How the target laid its processes out (kind of topology, each process's cores and JVM flags), for the report's
     * {@code process_layout}, when the target started them.
     */
    default Optional<Map<String, Object>> processLayout() {
        return Optional.empty();
    }

    /** The dataset the target's database holds, for the report's {@code dataset}, when the target made sure of it. */
    default Optional<DatasetSummary> dataset() {
        return Optional.empty();
    }

    /** How a measurement of some nodes' own cost runs apart from the rest; closing it undoes it. */
    interface Isolation extends AutoCloseable {

        /** Where each process ran meanwhile, for the report. */
        String description();

        @Override
        void close();
    }

    /**
     * Gives {@code nodesUnderTest} a CPU of their own and keeps the rest of the deployment off it for a measurement,
     * where the target owns its processes; empty where it cannot.
     */
    default Optional<Isolation> isolate(List<URI> nodesUnderTest) {
        return Optional.empty();
    }

    /**
     * Gives the first invalidator a CPU of its own and keeps the rest of the deployment off it while one instance
     * works off a backlog, where the target owns its processes; empty where it cannot.
     */
    default Optional<Isolation> isolateFirstInvalidator() {
        return Optional.empty();
    }

    /**
     * Brings the target's own storage to the state a running deployment keeps it in before a measured phase, where
     * the target owns it; returns what it did, for the console. A deployment given by URLs is measured as it is.
     */
    default Optional<String> beforePhase() {
        return Optional.empty();
    }

    /** Releases whatever the target started; a target given by URLs leaves the deployment running. */
    @Override
    void close();
}
