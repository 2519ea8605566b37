package io.cachebus.loadtest;

import io.cachebus.loadtest.deployment.local.LocalClusterTarget;
import io.cachebus.localcluster.ClusterOptions;
import io.cachebus.localcluster.CorePlacement;
import io.cachebus.localcluster.PostgresDatabase;
import io.cachebus.localcluster.Topology;
import io.cachebus.localcluster.dataset.DatasetGenerator;
import io.cachebus.localcluster.dataset.DatasetSpec;
import io.cachebus.localcluster.dataset.DatasetSummary;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The local cluster's shape on the command line ({@code up}, {@code bench}): where its parts run, how they are
 * pinned, and the PostgreSQL database and dataset of the separate-process topology.
 */
final class TopologyOptions {

    static final String DEFAULT_PLACEMENT = CorePlacement.LOAD_GENERATOR + "=0,api-1=1";

    @Option(names = "--topology", paramLabel = "KIND", defaultValue = "processes", converter = TopologyConverter.class,
            description = "processes (default): the Kafka broker, redis-server, the machine's PostgreSQL and every API"
                    + " node and invalidator each a process of its own, the services with the images' JVM flags; this"
                    + " JVM is only the load generator. in-jvm: everything in this JVM on an embedded H2 (quick to"
                    + " start; its figures measure the one JVM).")
    Topology topology = Topology.PROCESSES;

    @Option(names = "--pin", paramLabel = "PLACEMENT", arity = "0..1", fallbackValue = DEFAULT_PLACEMENT,
            description = "Pin processes to CPUs with taskset (processes topology): process=cpus pairs such as"
                    + " load-generator=0,api-1=1,kafka=0 (names: load-generator, kafka, redis, api-N, invalidator-N;"
                    + " others: every process not named). --pin alone: " + DEFAULT_PLACEMENT + " (the load generator"
                    + " on core 0, the node under test on core 1). Whatever the placement, the read throughput phase"
                    + " gives the node under test and its caching-off twin the last core alone, everything else the"
                    + " others, and freezes the other API nodes. The placement is written into the report.")
    String placement;

    @Option(names = "--jdbc-url", paramLabel = "URL", description = "The API nodes' database (user in the URL; for"
            + " PostgreSQL the dataset is generated there) instead of the cluster's own on --postgres (processes) or"
            + " an embedded H2 (in-jvm).")
    String jdbcUrl;

    @Option(names = "--postgres", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:5432",
            description = "The PostgreSQL server of the processes topology (default: ${DEFAULT-VALUE}); a database"
                    + " of the cluster's own is created on it, nothing else is touched.")
    String postgres;

    @Option(names = "--postgres-user", paramLabel = "USER", defaultValue = "postgres",
            description = "A user of that server that may create databases, without a password (default:"
                    + " ${DEFAULT-VALUE}).")
    String postgresUser;

    @Option(names = "--database", paramLabel = "NAME", defaultValue = "cachebus_local",
            description = "The cluster's database on that server, created when missing (default: ${DEFAULT-VALUE}).")
    String database;

    @Option(names = "--dataset-tenants", paramLabel = "N", defaultValue = "1000",
            description = "Tenants of the generated dataset, Zipf-distributed in size (default: ${DEFAULT-VALUE}).")
    int datasetTenants;

    @Option(names = "--dataset-largest-workflows", paramLabel = "N", defaultValue = "10000",
            description = "Workflows (5 steps each) of the largest tenant (default: ${DEFAULT-VALUE}).")
    int largestWorkflows;

    @Option(names = "--dataset-largest-notifications", paramLabel = "N", defaultValue = "200000",
            description = "Notifications of the largest tenant (default: ${DEFAULT-VALUE}).")
    int largestNotifications;

    @Option(names = "--no-dataset", description = "Generate no dataset (the API's tables hold only what the run"
            + " writes).")
    boolean noDataset;

    /** Whether the options ask for anything that only the processes topology has. */
    boolean asksForProcessesOnly() {
        return placement != null;
    }

    DatasetSpec datasetSpec() {
        return DatasetSpec.standard().withTenants(datasetTenants).withLargestTenant(largestWorkflows,
                largestNotifications);
    }

    PostgresDatabase postgresDatabase() {
        int colon = postgres.lastIndexOf(':');
        if (colon < 1) {
            throw new IllegalArgumentException("--postgres is HOST:PORT, not " + postgres);
        }
        return new PostgresDatabase(postgres.substring(0, colon), Integer.parseInt(postgres.substring(colon + 1)),
                postgresUser, database);
    }

    /**
     * Starts the local cluster shaped by {@code base} in the chosen topology: for processes, on the PostgreSQL
     * database (or {@code --jdbc-url}'s) with the dataset, this JVM pinned where the placement says.
     */
    LocalClusterTarget start(ClusterOptions base, PrintStream out) {
        Optional<String> jdbcUrl = Optional.ofNullable(this.jdbcUrl);
        if (topology == Topology.IN_JVM) {
            return LocalClusterTarget.start(jdbcUrl.map(base::withJdbcUrl).orElse(base));
        }
        CorePlacement cpus = placement == null ? CorePlacement.none() : CorePlacement.parse(placement);
        cpus.pinLoadGenerator();
        String url = jdbcUrl.orElseGet(() -> {
            PostgresDatabase postgresDatabase = postgresDatabase();
            if (!postgresDatabase.isReachable()) {
                throw new IllegalStateException("no PostgreSQL answers on " + postgres + " as " + postgresUser
                        + ": run deploy/local/ensure-postgresql.sh (installs Debian's where none is), or use"
                        + " --topology in-jvm");
            }
            return postgresDatabase.ensureExists();
        });
        DatasetSummary dataset = null;
        if (!noDataset && url.startsWith("jdbc:postgresql:")) {
            out.printf("cachebus: dataset on %s (%d tenants, the largest with %,d workflows and %,d notifications)"
                    + " ...%n", url.replaceAll("\\?.*", ""), datasetTenants, largestWorkflows, largestNotifications);
            dataset = DatasetGenerator.ensure(url, datasetSpec());
            out.printf(Locale.ROOT, "cachebus: dataset %s in %.1f s: %d tenants, rows %s%n",
                    dataset.generated() ? "generated" : "found (generated before)", dataset.tookMs() / 1e3,
                    dataset.tenants(), dataset.rows());
        }
        ClusterOptions options = base.withTopology(Topology.PROCESSES).withPlacement(cpus).withJdbcUrl(url);
        return LocalClusterTarget.start(options, dataset);
    }

    /** {@code processes} or {@code in-jvm}. */
    static final class TopologyConverter implements ITypeConverter<Topology> {
        @Override
        public Topology convert(String text) {
            for (Topology topology : Topology.values()) {
                if (name(topology).equals(text.strip().toLowerCase(Locale.ROOT))) {
                    return topology;
                }
            }
            throw new TypeConversionException("processes or in-jvm, not '" + text + "'");
        }

        static String name(Topology topology) {
            return topology.name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }
}
