package io.cachebus.loadtest.bench;

import io.cachebus.client.autoconfigure.CachebusProperties;
import io.cachebus.localcluster.ClusterFault;
import io.cachebus.localcluster.LocalCluster;
import io.cachebus.localcluster.ServiceInstance;
import io.cachebus.loadtest.deployment.local.LocalClusterTarget;
import io.cachebus.loadtest.measure.DatabaseReads;
import io.cachebus.loadtest.measure.InvalidateOnWriteCeiling;
import io.cachebus.loadtest.measure.StaleReadChecker;
import io.cachebus.loadtest.measure.WriteHistory;
import io.cachebus.loadtest.workload.EntityCatalog;
import io.cachebus.loadtest.workload.EntityRef;
import io.cachebus.loadtest.profile.Profile;
import io.cachebus.loadtest.report.FaultFields;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Faults under load, on the local cluster (the only target whose infrastructure the harness can break). For each
 * fault: steady load ({@code timing.warmup}), the fault held for {@code timing.measure} under the same load, the
 * recovery (until every node is healthy and returns the newest acknowledged value of every entity), then steady
 * load again. Reads of the steady slices are judged against the staleness bound; reads inside the window (fault
 * and recovery) are judged with a bound of 0, which gives the longest staleness seen there, set against the bound
 * the nodes enforce. The nodes' database reads are scraped around the steady slices and the window, so each fault
 * shows what keeping the bound cost the database against the same length of steady load.
 *
 * <p>The faults come from the local cluster's catalogue ({@link ClusterFault}). A service "killed" in the harness's
 * JVM is its Spring context closed while it works, an abrupt stop, not a SIGKILL (which needs the service in a
 * process of its own, as every service is in the separate-process topology).
 */
final class ChaosPhase implements BenchPhase {

    static final Duration RECOVERY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(200);

    private final RunContext run;

    ChaosPhase(RunContext run) {
        this.run = run;
    }

    @Override
    public List<String> figures() {
        return List.of("faults");
    }

    /** One fault: what it breaks, how it heals, and which nodes can take load while it lasts. */
    private interface Fault {
        String name();

        void inject();

        void heal();

        /** Indexes of API nodes that are down during the fault (the load goes to the others). */
        default Set<Integer> nodesDown() {
            return Set.of();
        }

        /** How long the fault is held, given the profile's {@code timing.measure}. */
        default Duration duration(Duration measure) {
            return measure;
        }

        /** The arrival rate while the fault is held, given the profile's steady rate. */
        default double requestsPerSecond(double steady) {
            return steady;
        }
    }

    /** More load than the cluster can take, and nothing broken: the fault is the load itself. */
    private record Overload(Profile.Chaos chaos) implements Fault {
        @Override
        public String name() {
            return "overload";
        }

        @Override
        public void inject() {
            // the load is the fault
        }

        @Override
        public void heal() {
            // the load returns to its steady rate
        }

        @Override
        public Duration duration(Duration measure) {
            return chaos.overloadDuration();
        }

        @Override
        public double requestsPerSecond(double steady) {
            return chaos.overloadRequestsPerSecond();
        }
    }

    private record SimpleFault(String name, Runnable injection, Runnable healing, Set<Integer> nodesDown)
            implements Fault {

        static SimpleFault of(String name, ClusterFault.Fault fault, Set<Integer> nodesDown) {
            return new SimpleFault(name, fault::inflict, fault::heal, nodesDown);
        }

        @Override
        public void inject() {
            injection.run();
        }

        @Override
        public void heal() {
            healing.run();
        }
    }

    @Override
    public void run(ResultSheet sheet) throws InterruptedException {
        if (!(run.target instanceof LocalClusterTarget local)) {
            sheet.notMeasured("faults", "faults are injected only into the local cluster the harness starts");
            return;
        }
        LocalCluster cluster = local.cluster();
        if (cluster.redis().isEmpty() || cluster.invalidators().isEmpty() || cluster.apiNodes().size() < 2) {
            sheet.notMeasured("faults", "the local cluster needs redis-server, an invalidator and two API nodes");
            return;
        }
        List<URI> nodes = run.target.apiNodes();
        Optional<CachebusProperties.Consistency> bound = nodesBound(cluster);
        if (bound.isPresent()) {
            sheet.extensions.put(FaultFields.MAX_STALENESS_BOUND_MS, bound.get().getMaxStaleness().toMillis());
            sheet.extensions.put(FaultFields.STALENESS_BOUND_ENFORCED, bound.get().isEnforce());
        } else {
            sheet.notMeasured(FaultFields.MAX_STALENESS_BOUND_MS, "the local cluster has no API node");
        }
        Long boundMs = bound.map(consistency -> consistency.getMaxStaleness().toMillis()).orElse(null);
        EntityCatalog catalog = run.createEntities("c", nodes);
        run.drive("warm-up", driver(catalog, nodes), LoadRecording.discarded(), run.profile.timing().warmup());

        List<Map<String, Object>> results = new ArrayList<>();
        for (Fault fault : faults(cluster)) {
            run.console.println("   fault: " + fault.name());
            results.add(measure(fault, catalog, nodes, boundMs));
            run.console.println("   " + results.get(results.size() - 1));
        }
        sheet.extensions.put(FaultFields.FAULTS, results);
    }

    /**
     * The staleness bound of the API nodes (they share a configuration): read from the first in the harness's JVM,
     * else bound the way the nodes bind it, from the properties the cluster started the first one with over
     * cachebus's defaults (the reference API's own configuration sets none of them).
     */
    private static Optional<CachebusProperties.Consistency> nodesBound(LocalCluster cluster) {
        Optional<ServiceInstance> inThisJvm = cluster.apiNodes().stream().filter(ServiceInstance::runsInThisJvm)
                .findFirst();
        if (inThisJvm.isPresent()) {
            return inThisJvm.map(node -> node.bean(CachebusProperties.class).getConsistency());
        }
        return cluster.apiNodes().stream().findFirst().map(node -> boundOf(node.properties()));
    }

    /** A node's staleness bound as it binds it from {@code properties} over cachebus's defaults. */
    static CachebusProperties.Consistency boundOf(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("cachebus", CachebusProperties.class).getConsistency();
    }

    /** The chaos profile's faults, drawn from the local cluster's catalogue ({@link ClusterFault}). */
    private List<Fault> faults(LocalCluster cluster) {
        ServiceInstance invalidator = cluster.invalidators().get(0);
        int lastNode = cluster.apiNodes().size() - 1;
        ServiceInstance apiNode = cluster.apiNode(lastNode);
        ServiceInstance evictionCutNode = cluster.apiNode(0);
        ClusterFault.Fault redisKilled = ClusterFault.REDIS_KILLED.on(cluster);
        ClusterFault.Fault kafkaStopped = ClusterFault.KAFKA_STOPPED.on(cluster);
        ClusterFault.Fault invalidatorKilled = ClusterFault.SERVICE_KILLED.on(cluster, invalidator);
        List<Fault> faults = new ArrayList<>(List.of(
                SimpleFault.of("redis_killed", redisKilled, Set.of()),
                SimpleFault.of("redis_slow_sigstop", ClusterFault.REDIS_SIGSTOPPED.on(cluster), Set.of()),
                SimpleFault.of("kafka_stopped", kafkaStopped, Set.of()),
                SimpleFault.of("invalidator_" + ending(invalidator), invalidatorKilled, Set.of()),
                SimpleFault.of("api_node_" + ending(apiNode) + "_and_restarted",
                        ClusterFault.SERVICE_KILLED.on(cluster, apiNode), Set.of(lastNode))));
        if (ClusterFault.EVICTION_SUBSCRIPTION_CUT.applies(cluster, evictionCutNode)) {
            faults.add(SimpleFault.of("eviction_subscription_cut",
                    ClusterFault.EVICTION_SUBSCRIPTION_CUT.on(cluster, evictionCutNode), Set.of()));
        }
        // one node loses Kafka (its producer, its eviction consumer, its freshness probe) while the rest works on
        if (ClusterFault.NODES_CUT_FROM_KAFKA.applies(cluster, null)) {
            faults.add(SimpleFault.of("api_node_cut_from_kafka", ClusterFault.NODES_CUT_FROM_KAFKA.on(cluster),
                    Set.of()));
        }
        faults.add(new Overload(run.profile.chaos()));
        faults.add(new SimpleFault("overlapping_redis_killed_kafka_stopped_invalidator_" + ending(invalidator),
                        () -> {
                            redisKilled.inflict();
                            kafkaStopped.inflict();
                            invalidatorKilled.inflict();
                        },
                        () -> {
                            kafkaStopped.heal();
                            redisKilled.heal();
                            invalidatorKilled.heal();
                        }, Set.of()));
        return faults;
    }

    /** How {@link ClusterFault#SERVICE_KILLED} ends a service: SIGKILL in a JVM of its own, a stop in this one. */
    private static String ending(ServiceInstance service) {
        return service.runsInThisJvm() ? "stopped" : "sigkilled";
    }

    private Map<String, Object> measure(Fault fault, EntityCatalog catalog, List<URI> nodes, Long boundMs)
            throws InterruptedException {
        long bound = run.profile.timing().boundMs();
        List<URI> upDuringFault = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (!fault.nodesDown().contains(i)) {
                upDuringFault.add(nodes.get(i));
            }
        }
        StaleReadChecker beforeWindow = new StaleReadChecker(bound);
        StaleReadChecker inside = new StaleReadChecker(0);
        StaleReadChecker afterWindow = new StaleReadChecker(bound);
        LoadRecording before = new LoadRecording("reads", "writes", beforeWindow, null);
        LoadRecording during = new LoadRecording("reads", "writes", inside, null);
        LoadRecording after = new LoadRecording("reads", "writes", afterWindow, null);
        double windowRate = fault.requestsPerSecond(run.profile.workload().requestsPerSecond());
        DatabaseReadLog databaseReads = new DatabaseReadLog(nodes);

        databaseReads.mark();
        run.drive(fault.name() + " before", driver(catalog, nodes), before, run.profile.timing().warmup());
        databaseReads.mark();
        fault.inject();
        long faultLoadStart = run.clock.nanoTime();
        long faultLoadNanos;
        try {
            run.drive(fault.name() + " during", driver(catalog, upDuringFault), during,
                    fault.duration(run.profile.timing().measure()), windowRate);
        } finally {
            faultLoadNanos = run.clock.nanoTime() - faultLoadStart;
            fault.heal();
        }
        long healed = run.clock.nanoTime();
        // Load goes on while the system recovers: the recovery is timed under load, as in production.
        CompletableFuture<Void> recoveryLoad = CompletableFuture.runAsync(() -> {
            try {
                run.drive(fault.name() + " recovering", driver(catalog, nodes), during, Duration.ofSeconds(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        recoveryLoad.join();
        databaseReads.mark();
        // the heal (a JVM restarting, say) runs without load: the window's reads are those of its load
        databaseReads.windowLoadTook(faultLoadNanos + (run.clock.nanoTime() - healed));
        Convergence convergence = awaitConvergence(catalog, nodes, healed);
        databaseReads.mark();
        run.drive(fault.name() + " after", driver(catalog, nodes), after, run.profile.timing().warmup());
        databaseReads.mark();

        StaleReadChecker.Summary beforeSummary = beforeWindow.judgeAll(run.ledger);
        StaleReadChecker.Summary afterSummary = afterWindow.judgeAll(run.ledger);
        StaleReadChecker.Summary insideSummary = inside.judgeAll(run.ledger);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put(FaultFields.FAULT, fault.name());
        result.put(FaultFields.CLIENT_ERRORS, before.errors.sum() + during.errors.sum() + after.errors.sum());
        result.put(FaultFields.LOST_INVALIDATIONS, convergence.unconvergedEntities());
        result.put(FaultFields.STALE_OUTSIDE_WINDOW, beforeSummary.staleBeyondBound() + afterSummary.staleBeyondBound());
        double maxStalenessInWindow = Rounding.tenths(insideSummary.maxStalenessMsBeyondBound());
        result.put(FaultFields.MAX_STALENESS_IN_WINDOW_MS, maxStalenessInWindow);
        if (boundMs != null) {
            result.put(FaultFields.STALENESS_IN_WINDOW_MET,
                    maxStalenessInWindow <= boundMs + FaultFields.WINDOW_STALENESS_SLACK_MS);
        }
        result.put(FaultFields.RECOVERY_MS, convergence.recoveryMs());
        result.put(FaultFields.WINDOW_OFFERED_RPS, Rounding.tenths(windowRate));
        databaseReads.report(result);
        result.put("reads", before.readCount.sum() + during.readCount.sum() + after.readCount.sum());
        result.put("writes", before.writeCount.sum() + during.writeCount.sum() + after.writeCount.sum());
        List<String> errors = new ArrayList<>(before.firstErrors());
        errors.addAll(during.firstErrors());
        errors.addAll(after.firstErrors());
        if (!errors.isEmpty()) {
            result.put("first_errors", errors.subList(0, Math.min(5, errors.size())));
        }
        // where the stale reads outside the window were, and a few of them, so a miss can be traced
        result.put("stale_reads_beyond_bound_before", beforeSummary.staleBeyondBound());
        result.put("stale_reads_beyond_bound_after", afterSummary.staleBeyondBound());
        List<String> staleExamples = new ArrayList<>();
        beforeSummary.examples().forEach(e -> staleExamples.add("before: " + e));
        afterSummary.examples().forEach(e -> staleExamples.add("after: " + e));
        if (!staleExamples.isEmpty()) {
            result.put("stale_examples", staleExamples.subList(0, Math.min(5, staleExamples.size())));
        }
        return result;
    }

    /**
     * The nodes' database read counters at the five marks of a fault: before the steady slice, at the injection, at
     * the end of the recovery load (the window), before and after the second steady slice. The convergence check
     * between the third and fourth mark reads every entity on every node and is left out of both figures. The
     * window's length is the time its load ran (the fault held, then the recovery load), without the heal between
     * them, which can take long (a JVM restarting) and sends no load.
     */
    private final class DatabaseReadLog {

        private final List<URI> nodes;
        private final List<List<DatabaseReads>> marks = new ArrayList<>();
        private final List<Long> markNanos = new ArrayList<>();
        /** Why a node could not be scraped, once one could not; the figures are then left out. */
        private String failure;
        private long windowLoadNanos;

        DatabaseReadLog(List<URI> nodes) {
            this.nodes = nodes;
        }

        void windowLoadTook(long nanos) {
            windowLoadNanos = nanos;
        }

        void mark() throws InterruptedException {
            markNanos.add(run.clock.nanoTime());
            if (failure != null) {
                return;
            }
            List<DatabaseReads> scrape = new ArrayList<>();
            for (URI node : nodes) {
                try {
                    scrape.add(DatabaseReads.of(run.scrapeNode(node)));
                } catch (IOException | IllegalArgumentException e) {
                    failure = "could not scrape " + node + ": " + e;
                    return;
                }
            }
            marks.add(scrape);
        }

        /** Reads of every node between marks {@code from} and {@code to}. */
        private DatabaseReads between(int from, int to) {
            DatabaseReads sum = DatabaseReads.NONE;
            for (int node = 0; node < nodes.size(); node++) {
                sum = sum.plus(marks.get(to).get(node).since(marks.get(from).get(node)));
            }
            return sum;
        }

        void report(Map<String, Object> result) {
            result.put(FaultFields.WINDOW_MS, TimeUnit.NANOSECONDS.toMillis(windowLoadNanos));
            if (failure != null) {
                result.put("db_reads_not_measured", failure);
                return;
            }
            DatabaseReads window = between(1, 2);
            double steadyReads = between(0, 1).loads() + between(3, 4).loads();
            long steadyNanos = (markNanos.get(1) - markNanos.get(0)) + (markNanos.get(4) - markNanos.get(3));
            result.put(FaultFields.DB_READS_IN_WINDOW, Math.round(window.loads()));
            result.put(FaultFields.DB_READS_THROUGH_BOUND_IN_WINDOW, Math.round(window.readThrough()));
            result.put(FaultFields.DB_READS_STEADY, Math.round(steadyReads * windowLoadNanos / steadyNanos));
        }
    }

    /**
     * @param unconvergedEntities entities some node still did not return at their newest acknowledged value when
     *                            the recovery timeout ran out (0 when all converged)
     * @param recoveryMs          from the heal until every node was healthy and converged; null when it never was
     */
    private record Convergence(long unconvergedEntities, Long recoveryMs) {
    }

    private Convergence awaitConvergence(EntityCatalog catalog, List<URI> nodes, long healedNanos)
            throws InterruptedException {
        long deadline = healedNanos + RECOVERY_TIMEOUT.toNanos();
        Set<EntityRef> unconverged = Set.of();
        while (true) {
            if (allHealthy(nodes)) {
                unconverged = unconverged(catalog, nodes);
                if (unconverged.isEmpty()) {
                    return new Convergence(0, TimeUnit.NANOSECONDS.toMillis(run.clock.nanoTime() - healedNanos));
                }
            }
            if (run.clock.nanoTime() > deadline) {
                if (unconverged.isEmpty()) {
                    unconverged = unconverged(catalog, nodes);
                }
                unconverged.stream().limit(5).forEach(e -> run.console.println("   not converged: " + e));
                return new Convergence(unconverged.size(), null);
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    /** Entities that some node answers with a value superseded by an acknowledged write, or not at all. */
    private Set<EntityRef> unconverged(EntityCatalog catalog, List<URI> nodes) {
        Set<EntityRef> result = java.util.concurrent.ConcurrentHashMap.newKeySet();
        List<CompletableFuture<?>> reads = new ArrayList<>();
        for (EntityRef entity : catalog.all()) {
            for (URI node : nodes) {
                long start = run.clock.nanoTime();
                reads.add(run.api.read(node, entity).handle((reply, failure) -> {
                    long end = run.clock.nanoTime();
                    if (failure != null || !reply.ok()) {
                        result.add(entity);
                        return null;
                    }
                    WriteHistory history = run.ledger.history(entity);
                    StaleReadChecker.Verdict verdict = StaleReadChecker.judge(history, reply.value(), start, end, 0);
                    if (verdict.status() == StaleReadChecker.Status.STALE
                            || verdict.status() == StaleReadChecker.Status.SUPERSEDED_WITHIN_BOUND) {
                        result.add(entity);
                    }
                    return null;
                }));
            }
        }
        CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).join();
        return new HashSet<>(result);
    }

    private boolean allHealthy(List<URI> nodes) throws InterruptedException {
        for (URI node : nodes) {
            try {
                HttpResponse<String> health = run.http.send(HttpRequest.newBuilder(node.resolve("/actuator/health"))
                        .timeout(RunContext.REQUEST_TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() != 200 || !health.body().contains("\"UP\"")) {
                    return false;
                }
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    private LoadDriver driver(EntityCatalog catalog, List<URI> nodes) {
        // the chaos phase reports no hit ratio (its faults decide it), so no ceiling beside one
        return new LoadDriver(run.api, nodes, run.mix(catalog, nodes.size()), run.ledger, run.writeIds, run.clock,
                new InvalidateOnWriteCeiling());
    }
}
