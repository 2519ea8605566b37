package io.cachebus.loadtest;

import io.cachebus.loadtest.deployment.local.LocalClusterTarget;
import io.cachebus.loadtest.profile.Profile;
import io.cachebus.loadtest.profile.Profiles;
import io.cachebus.localcluster.ClusterProcess;
import io.cachebus.localcluster.LocalCluster;
import io.cachebus.localcluster.ServiceInstance;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cachebus up}: the local cluster in production's shape (by default each part a process of its own), its URLs,
 * a token and its database URL printed, running until Ctrl-C.
 */
@Command(name = "up", sortOptions = false, description = {"Start the local cluster on loopback and keep it running"
        + " until Ctrl-C: by default the Kafka broker, redis-server, the machine's PostgreSQL (a database of the"
        + " cluster's own, with the generated dataset) and every API node and invalidator each a process of its own."
        + " Prints the API nodes' URLs, a bearer token, the database URL and where each process runs."})
final class UpCommand implements Callable<Integer> {

    private final CachebusCli.Console console;

    @Mixin
    private CachebusCli.HelpOption help;

    @Option(names = "--api-nodes", paramLabel = "N", defaultValue = "3", description = "API nodes (default:"
            + " ${DEFAULT-VALUE}).")
    private int apiNodes;

    @Option(names = "--invalidators", paramLabel = "M", defaultValue = "2", description = "Invalidators in one"
            + " consumer group (default: ${DEFAULT-VALUE}, as docker-compose.yml has).")
    private int invalidators;

    @Option(names = "--tenant", paramLabel = "ID", defaultValue = "ds-00001", description = "The tenant of the"
            + " printed token (default: ${DEFAULT-VALUE}, the dataset's largest).")
    private String tenant;

    @Mixin
    private TopologyOptions topology;

    UpCommand(CachebusCli.Console console) {
        this.console = console;
    }

    @Override
    public Integer call() throws Exception {
        Profile.LocalShape shape = new Profile.LocalShape(apiNodes, invalidators,
                Profile.LocalShape.standard().mutationPartitions(), 0);
        LocalClusterTarget target = ProfileRun.startLocalCluster(shape,
                Duration.ofMillis(Profiles.quick().timing().boundMs()), topology, ProfileRun.DEFAULT_SAMPLING_RATE,
                Optional.empty(), console.out());
        Runtime.getRuntime().addShutdownHook(new Thread(target::close, "cachebus-up-shutdown"));
        LocalCluster cluster = target.cluster();
        console.out().println();
        console.out().println("API nodes:");
        for (ServiceInstance node : cluster.apiNodes()) {
            console.out().println("  " + node.name() + "  " + node.baseUrl());
        }
        console.out().println("Invalidators:");
        for (ServiceInstance invalidator : cluster.invalidators()) {
            console.out().println("  " + invalidator.name() + "  " + invalidator.baseUrl() + "/actuator/health");
        }
        console.out().println("Kafka:     " + cluster.kafka().bootstrapServers());
        cluster.redis().ifPresent(redis -> console.out().println("Redis:     " + redis.uri()));
        console.out().println("Database:  " + cluster.jdbcUrl());
        target.dataset().ifPresent(dataset -> console.out().println("Dataset:   " + dataset.tenants() + " tenants, rows "
                + dataset.rows()));
        console.out().println("Processes:");
        for (ClusterProcess process : cluster.processLayout()) {
            console.out().printf("  %-16s pid %-8s cpus %-6s %s%n", process.name(),
                    process.pid() == 0 ? "-" : String.valueOf(process.pid()), process.cpus(), process.flags());
        }
        String token = target.bearerToken(tenant);
        URI first = target.apiNodes().get(0);
        console.out().println("Token (tenant " + tenant + ", 12 h):");
        console.out().println("  " + token);
        console.out().println("Try:  curl -H 'Authorization: Bearer " + token + "' " + first
                + "/api/notifications/unread-count");
        console.out().println("Running; Ctrl-C stops every process.");
        console.out().flush();
        new CountDownLatch(1).await();
        return CachebusCli.OK;
    }
}
