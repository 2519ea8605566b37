package io.cachebus.loadtest.bench;

import io.cachebus.loadtest.deployment.ApiNodes;
import io.cachebus.loadtest.deployment.ClusterTarget;
import io.cachebus.loadtest.deployment.NodeMode;
import io.cachebus.loadtest.profile.Profile;
import io.cachebus.loadtest.report.MarkdownSummary;
import io.cachebus.loadtest.report.NodeReadFigures;
import io.cachebus.loadtest.report.NodeReadFigures.KindCost;
import io.cachebus.loadtest.report.NodeReadFigures.SustainedRate;
import io.cachebus.loadtest.workload.Domain;
import io.cachebus.loadtest.workload.EntityRef;
import io.cachebus.loadtest.workload.ReferenceApi;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;

/**
 * One API node's reads per second at a fixed p99, side by side in one run, for three kinds of read of the same
 * workflows with the same tokens: (a) cached, answered from L1; (b) caching off, on a node of its own that sends
 * every read to the database; (c) the node's ceiling, a workflow-shaped body built in memory behind the same HTTP
 * stack ({@code cachebus.bench.ceiling-endpoint.enabled}). (a)/(c) is what cachebus costs a read, (a)/(b) what it
 * buys. Then each kind runs once more at one common rate (below the slowest kind's), for its CPU seconds per 1,000
 * reads in every process and its database work per read.
 */
final class ReadThroughputPhase implements BenchPhase {

    static final String CEILING_READ_RPS = "ceiling_read_rps";
    /** Where the processes ran during the phase, when the target isolated the nodes under test. */
    static final String PLACEMENT = "read_throughput_placement";
    static final String CPU_PER_1000 = "cpu_s_per_1000_requests";
    static final String DATABASE_COST = MarkdownSummary.DATABASE_COST;
    static final String DETAIL = "read_throughput";
    /** Each kind's saturated rate, probed before the search: where its search started, not a figure. */
    static final String SATURATED = "read_throughput_saturated_rps";
    /** The common rate, as a share of the slowest kind's sustained rate: below it, so no kind queues. */
    private static final double COMMON_RATE_SHARE = 0.8;
    private static final long BODY_SIZE_TIMEOUT_S = 10;

    private final RunContext run;

    ReadThroughputPhase(RunContext run) {
        this.run = run;
    }

    @Override
    public List<String> figures() {
        return List.of("cached_read_rps", "uncached_read_rps", CEILING_READ_RPS, CPU_PER_1000, DATABASE_COST);
    }

    /** A kind of read, the node it goes to, and how one read of a workflow is sent. */
    private record ReadKind(String name, URI node, BiFunction<URI, EntityRef, CompletableFuture<ReferenceApi.Reply>> read) {

        RateSearch.Reader reader(List<EntityRef> workflows) {
            return sequence -> read.apply(node, workflows.get((int) (sequence % workflows.size())))
                    .thenApply(ReferenceApi.Reply::ok);
        }
    }

    @Override
    public void run(ResultSheet sheet) throws InterruptedException {
        if (run.loadCatalog == null) {
            figures().forEach(figure -> sheet.notMeasured(figure, "needs the entities of the load phase, which did "
                    + "not run"));
            return;
        }
        Profile.ReadThroughput settings = run.profile.throughput();
        List<EntityRef> workflows = evenlyOverTenants(run.loadCatalog.hottest(run.loadCatalog.size()),
                settings.hotEntities());
        URI node = run.target.apiNodes().get(0);
        Optional<ApiNodes> cachingOffNodes = run.target.nodes(NodeMode.CACHE_OFF);
        List<URI> underTest = new ArrayList<>(List.of(node));
        cachingOffNodes.ifPresent(twin -> underTest.add(twin.urls().get(0)));
        Optional<ClusterTarget.Isolation> isolation = run.target.isolate(underTest);
        try {
            isolation.ifPresent(placement -> {
                run.console.println("   placement: " + placement.description());
                sheet.extensions.put(PLACEMENT, placement.description());
            });
            List<ReadKind> kinds = kinds(node, cachingOffNodes, workflows.get(0), sheet);
            RateSearch search = new RateSearch(settings, run.profile.workload().maxInFlight(), run.clock,
                    step -> run.console.printf(Locale.ROOT, "     %,.0f/s offered: %,.0f/s, p99 %s ms, %d errors%s%n",
                            step.offeredRps(), step.achievedRps(), step.p99Ms(), step.errors(),
                            step.held() ? "" : "  (over)"));
            // every kind warmed up (probed) before any is measured: JIT and, for cached reads, L1 filled, and the
            // twin, just thawed, done compiling its hot code, which would otherwise share the node under test's CPU
            // with the first kind's measurement. The twin goes first: its compiler threads go on for seconds after
            // its probes, and the other kinds' probes, not the first search, are what shares the core with them.
            Map<String, Double> saturated = new LinkedHashMap<>();
            for (ReadKind kind : twinFirst(kinds)) {
                if (settings.probes()) {
                    double rps = search.probe(kind.reader(workflows));
                    saturated.put(kind.name(), rps);
                    run.console.printf(Locale.ROOT, "   %s saturated at %,.0f reads/s (%,d in flight): the search"
                            + " starts at %,.0f/s%n", kind.name(), rps, run.profile.workload().maxInFlight(),
                            search.startAfterProbe(rps));
                } else {
                    search.warmUp(kind.reader(workflows), settings.startRps(), settings.step().multipliedBy(2));
                }
            }
            Map<String, SustainedRate> rates = new LinkedHashMap<>();
            for (ReadKind kind : kinds) {
                run.console.printf("   %s on %s, p99 within %d ms%n", kind.name(), kind.node(),
                        settings.p99Budget().toMillis());
                SustainedRate rate = settings.probes()
                        ? search.searchFromProbe(kind.reader(workflows), saturated.get(kind.name()))
                        : search.search(kind.reader(workflows));
                rates.put(kind.name(), rate);
                run.console.printf(Locale.ROOT, "   %s: %s reads/s at p99 %s ms%n", kind.name(),
                        rate.readsPerS() == null ? "none" : String.format(Locale.ROOT, "%,.0f", rate.readsPerS()),
                        rate.p99Ms());
            }
            if (!saturated.isEmpty()) {
                Map<String, Double> byKind = new LinkedHashMap<>();
                kinds.forEach(kind -> byKind.put(kind.name(), saturated.get(kind.name())));
                sheet.extensions.put(SATURATED, byKind);
            }
            sheet.cachedReadRps = sustained(rates, NodeReadFigures.CACHED, sheet, "cached_read_rps");
            sheet.uncachedReadRps = sustained(rates, NodeReadFigures.CACHING_OFF, sheet, "uncached_read_rps");
            sheet.ceilingReadRps = sustained(rates, NodeReadFigures.CEILING, sheet, CEILING_READ_RPS);
            sheet.extensions.put(DETAIL, new NodeReadFigures.ReadThroughput(settings.p99Budget().toNanos() / 1e6,
                    node.toString(), rates, bodySizes(node, workflows.get(0), rates.containsKey(NodeReadFigures.CEILING))));
            costAtOneRate(kinds, rates, workflows, settings, sheet);
        } finally {
            isolation.ifPresent(ClusterTarget.Isolation::close);
            cachingOffNodes.ifPresent(ApiNodes::close);
        }
    }

    /** The kinds in the order they are probed: the caching-off twin (thawed for this phase) first. */
    private static List<ReadKind> twinFirst(List<ReadKind> kinds) {
        List<ReadKind> ordered = new ArrayList<>(kinds);
        ordered.sort(Comparator.comparing(kind -> !NodeReadFigures.CACHING_OFF.equals(kind.name())));
        return ordered;
    }

    private List<ReadKind> kinds(URI node, Optional<ApiNodes> cachingOffNodes, EntityRef probe, ResultSheet sheet)
            throws InterruptedException {
        List<ReadKind> kinds = new ArrayList<>();
        kinds.add(new ReadKind(NodeReadFigures.CACHED, node, run.api::read));
        if (cachingOffNodes.isPresent()) {
            kinds.add(new ReadKind(NodeReadFigures.CACHING_OFF, cachingOffNodes.get().urls().get(0), run.api::read));
        } else {
            sheet.notMeasured("uncached_read_rps", "the target has no API nodes with caching off (for a "
                    + "deployment given by URLs: --uncached-urls)");
        }
        int ceilingStatus = statusOf(run.api.readCeiling(node, probe));
        if (ceilingStatus == 200) {
            kinds.add(new ReadKind(NodeReadFigures.CEILING, node, run.api::readCeiling));
        } else {
            sheet.notMeasured(CEILING_READ_RPS, node + " answered " + ceilingStatus + " on its ceiling endpoint: "
                    + "start the node with cachebus.bench.ceiling-endpoint.enabled=true");
        }
        return kinds;
    }

    /** Every kind once more at one rate all of them sustain, for CPU and database cost per read. */
    private void costAtOneRate(List<ReadKind> kinds, Map<String, SustainedRate> rates, List<EntityRef> workflows,
            Profile.ReadThroughput settings, ResultSheet sheet) throws InterruptedException {
        if (!SameLoadCost.fits(settings.sameLoad())) {
            String reason = "the profile's same-load duration is too short for a measuring window";
            sheet.notMeasured(CPU_PER_1000, reason);
            sheet.notMeasured(DATABASE_COST, reason);
            return;
        }
        Optional<Double> slowest = rates.values().stream().map(SustainedRate::readsPerS)
                .filter(rate -> rate != null).min(Double::compare);
        // when no rate held (a machine short of CPU), the cost per read still compares at the lowest rate offered
        double rate = slowest.map(sustained -> Math.max(1, Math.floor(sustained * COMMON_RATE_SHARE)))
                .orElseGet(() -> rates.values().stream().flatMap(search -> search.steps().stream())
                        .mapToDouble(NodeReadFigures.RateStep::offeredRps).min().orElse(settings.startRps()));
        SameLoadCost cost = new SameLoadCost(run);
        Map<String, KindCost> costs = new LinkedHashMap<>();
        Map<String, Map<String, Double>> cpu = new LinkedHashMap<>();
        for (ReadKind kind : kinds) {
            run.console.printf(Locale.ROOT, "   %s at %,.0f reads/s for CPU and database cost%n", kind.name(), rate);
            Map<String, Double> cpuPer1000 = new LinkedHashMap<>();
            costs.put(kind.name(), cost.measure(kind.reader(workflows), kind.node(), rate, settings.sameLoad(),
                    cpuPer1000));
            cpu.put(kind.name(), cpuPer1000);
        }
        sheet.extensions.put(DATABASE_COST, costs);
        if (cpu.values().stream().allMatch(Map::isEmpty)) {
            sheet.notMeasured(CPU_PER_1000, "the target names no process whose CPU time the harness can read");
        } else {
            sheet.cpuPer1000Requests = cpu;
        }
    }

    private static Double sustained(Map<String, SustainedRate> rates, String kind, ResultSheet sheet, String figure) {
        SustainedRate rate = rates.get(kind);
        if (rate == null) {
            return null;
        }
        if (rate.readsPerS() == null) {
            sheet.notMeasured(figure, "no offered rate kept the p99 within the budget");
        }
        return rate.readsPerS();
    }

    private Map<String, Integer> bodySizes(URI node, EntityRef workflow, boolean ceiling) throws InterruptedException {
        Map<String, Integer> sizes = new LinkedHashMap<>();
        sizes.put(NodeReadFigures.CACHED, await(run.api.bodySize(node, workflow, false)));
        if (ceiling) {
            sizes.put(NodeReadFigures.CEILING, await(run.api.bodySize(node, workflow, true)));
        }
        return sizes;
    }

    private static int statusOf(CompletableFuture<ReferenceApi.Reply> reply) throws InterruptedException {
        return await(reply).status();
    }

    private static <T> T await(CompletableFuture<T> future) throws InterruptedException {
        try {
            return future.get(BODY_SIZE_TIMEOUT_S, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("a probe of the node failed: " + e, e);
        }
    }

    /**
     * Up to {@code count} workflows, taken in turn from each tenant (in order of popularity within it), so the
     * per-tenant rate limits see the rate spread over every tenant rather than a hot few.
     */
    static List<EntityRef> evenlyOverTenants(List<EntityRef> byPopularity, int count) {
        Map<String, List<EntityRef>> byTenant = new LinkedHashMap<>();
        byPopularity.stream().filter(entity -> entity.domain() == Domain.WORKFLOWS)
                .forEach(entity -> byTenant.computeIfAbsent(entity.tenant(), t -> new ArrayList<>()).add(entity));
        List<EntityRef> chosen = new ArrayList<>();
        for (int round = 0; chosen.size() < count; round++) {
            boolean any = false;
            for (List<EntityRef> ofTenant : byTenant.values()) {
                if (round < ofTenant.size() && chosen.size() < count) {
                    chosen.add(ofTenant.get(round));
                    any = true;
                }
            }
            if (!any) {
                break;
            }
        }
        if (chosen.isEmpty()) {
            throw new IllegalStateException("the load created no workflows to read");
        }
        return chosen;
    }
}
