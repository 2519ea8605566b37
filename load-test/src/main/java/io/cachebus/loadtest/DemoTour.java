package io.cachebus.loadtest;

import io.cachebus.client.TieredCache;
import io.cachebus.client.internal.tiered.CacheInstrumentation;
import io.cachebus.client.internal.tiered.DefaultTieredCache;
import io.cachebus.localcluster.ServiceInstance;
import io.cachebus.loadtest.deployment.local.LocalClusterTarget;
import io.cachebus.loadtest.workload.Domain;
import io.cachebus.loadtest.workload.EntityRef;
import io.cachebus.loadtest.workload.Marker;
import io.cachebus.loadtest.workload.ReferenceApi;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;

/**
 * The demo's first look at the system, printed as it happens: one workflow read on every API node (where each read
 * was answered: the database, Redis, the node's own L1), then one write on the first node and, on every other node,
 * how long after the write's response the node served the new value (its eviction had arrived), and each node's
 * Redis breaker. Reads the nodes' own metrics, so it needs the services in this JVM.
 */
final class DemoTour {

    static final String TENANT = "demo-tour";
    /** The tour's requests are the first a node serves: on a busy machine a cold node takes many seconds. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration PROPAGATION_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(2);

    private final List<ServiceInstance> nodes;
    private final ReferenceApi api;
    private final PrintStream out;

    DemoTour(LocalClusterTarget target, PrintStream out) {
        this.nodes = target.cluster().apiNodes();
        this.api = new ReferenceApi(HttpClient.newHttpClient(), target::bearerToken, REQUEST_TIMEOUT);
        this.out = out;
    }

    /** What a write's propagation looked like on one node. */
    record Arrival(String node, long afterMillis, String answeredBy) {
    }

    /**
     * Runs the tour, or says why it stopped: it only shows the system, so the demo goes on to the benchmark either
     * way. Returns, per node but the writer, when the write became visible there (empty when it stopped).
     */
    List<Arrival> show() throws InterruptedException {
        try {
            return run();
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            out.println("   the tour stopped: " + (e.getCause() != null ? e.getCause() : e));
            out.println();
            return List.of();
        }
    }

    List<Arrival> run() throws Exception {
        out.println("== the system: one workflow, " + nodes.size() + " API nodes");
        nodes.forEach(node -> out.printf("   %-8s %s  redis breaker %s%n", node.name(), node.baseUrl(),
                breaker(node)));
        ServiceInstance writer = nodes.get(0);
        String id = api.create(uri(writer), TENANT, Domain.WORKFLOWS, 1).get();
        EntityRef workflow = new EntityRef(TENANT, Domain.WORKFLOWS, id);
        out.println("   created " + workflow + " on " + writer.name());
        for (ServiceInstance node : nodes) {
            String first = answeredBy(node, () -> read(node, workflow));
            String second = answeredBy(node, () -> read(node, workflow));
            out.printf("   read on %-8s first from %-12s then from %s%n", node.name(), first, second);
        }

        long written = Marker.INITIAL + 1;
        long started = System.nanoTime();
        int status = api.write(uri(writer), workflow, written).get().status();
        long answered = System.nanoTime();
        out.printf("   PATCH on %s answered %d in %d ms; now every node must show it%n", writer.name(), status,
                (answered - started) / 1_000_000);
        List<Arrival> arrivals = new ArrayList<>();
        for (ServiceInstance node : nodes) {
            Arrival arrival = awaitValue(node, workflow, written, answered);
            String how = node == writer ? "its own write (read-your-writes, no eviction needed)"
                    : "its eviction had arrived";
            out.printf("   %-8s shows it %4d ms after the response, from %-12s %s%n", node.name(),
                    arrival.afterMillis(), arrival.answeredBy(), how);
            if (node != writer) {
                arrivals.add(arrival);
            }
        }
        nodes.forEach(node -> out.printf("   %-8s redis breaker %s%n", node.name(), breaker(node)));
        out.println();
        return arrivals;
    }

    private Arrival awaitValue(ServiceInstance node, EntityRef workflow, long value, long since) throws Exception {
        long deadline = since + PROPAGATION_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Map<String, Double> before = lookups(node);
            long seen = read(node, workflow);
            if (seen >= value) {
                long after = (System.nanoTime() - since) / 1_000_000;
                return new Arrival(node.name(), after, difference(before, lookups(node)));
            }
            Thread.sleep(POLL_INTERVAL.toMillis());
        }
        throw new TimeoutException(node.name() + " did not show the write within " + PROPAGATION_TIMEOUT);
    }

    private long read(ServiceInstance node, EntityRef workflow) throws Exception {
        ReferenceApi.Reply reply = api.read(uri(node), workflow).get();
        if (!reply.ok()) {
            throw new IllegalStateException("GET " + workflow + " on " + node.name() + " answered " + reply.status());
        }
        return reply.value();
    }

    @FunctionalInterface
    private interface Read {
        long run() throws Exception;
    }

    private String answeredBy(ServiceInstance node, Read read) throws Exception {
        Map<String, Double> before = lookups(node);
        read.run();
        return difference(before, lookups(node));
    }

    /** The workflow lookups a node counted, per tier that answered them. */
    private static Map<String, Double> lookups(ServiceInstance node) {
        Map<String, Double> byTier = new TreeMap<>();
        for (Counter counter : node.bean(MeterRegistry.class).find(CacheInstrumentation.LOOKUPS)
                .tag("domain", Domain.WORKFLOWS.pathSegment()).counters()) {
            byTier.merge(counter.getId().getTag("tier"), counter.count(), Double::sum);
        }
        return byTier;
    }

    private static String difference(Map<String, Double> before, Map<String, Double> after) {
        List<String> tiers = new ArrayList<>();
        after.forEach((tier, count) -> {
            if (count > before.getOrDefault(tier, 0.0)) {
                tiers.add(tier.equals("loader") ? "database" : tier);
            }
        });
        return tiers.isEmpty() ? "?" : String.join("+", tiers);
    }

    private static String breaker(ServiceInstance node) {
        return node.bean(TieredCache.class) instanceof DefaultTieredCache cache && cache.redisInUse()
                ? "closed (Redis in use)" : "open or no Redis (in-memory fallback)";
    }

    private static URI uri(ServiceInstance node) {
        return URI.create(node.baseUrl());
    }
}
