package io.cachebus.loadtest.bench;

import io.cachebus.local.redis.RedisServer;
import io.cachebus.loadtest.invalidation.InvalidatorThroughputProbe;
import io.cachebus.loadtest.invalidation.KeyspaceFixture;
import io.cachebus.loadtest.invalidation.PrefixInvalidationBench;
import io.cachebus.loadtest.invalidation.PrefixStrategies;
import io.cachebus.loadtest.measure.CacheLookups;
import io.cachebus.loadtest.measure.LatencyStat;
import io.cachebus.loadtest.measure.PrometheusSamples;
import io.cachebus.loadtest.measure.PropagationProbe;
import io.cachebus.loadtest.measure.StaleReadChecker;
import io.cachebus.loadtest.measure.WriteLedger;
import io.cachebus.loadtest.profile.PhaseKind;
import io.cachebus.loadtest.profile.Profile;
import io.cachebus.loadtest.report.BenchReport;
import io.cachebus.loadtest.report.ProgressLine;
import io.cachebus.loadtest.report.ReportFiles;
import io.cachebus.loadtest.deployment.ApiNodes;
import io.cachebus.loadtest.deployment.ClusterTarget;
import io.cachebus.loadtest.deployment.NodeMode;
import io.cachebus.loadtest.workload.EntityCatalog;
import io.cachebus.loadtest.workload.EntityRef;
import io.cachebus.loadtest.workload.Marker;
import io.cachebus.loadtest.workload.NanoClock;
import io.cachebus.loadtest.workload.OpenLoopScheduler;
import io.cachebus.loadtest.workload.ReferenceApi;
import io.cachebus.loadtest.workload.WorkloadMix;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.HdrHistogram.Histogram;

/**
 * Runs a {@link Profile}'s phases against a {@link ClusterTarget} and writes the report. A phase that cannot run
 * on the target, or fails, leaves its figures null with the reason in the report's {@code not_measured}; the
 * other phases still run.
 */
public final class BenchRunner implements AutoCloseable {

    /** The written report, and whether every phase ran. */
    public record Outcome(BenchReport report, ReportFiles.Written files, List<PhaseKind> failedPhases) {
    }

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final int HTTP_THREADS = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());

    private final ClusterTarget target;
    private final Profile profile;
    private final PrintStream console;
    private final Optional<PrefixStrategies> prefixStrategies;
    private final NanoClock clock = NanoClock.SYSTEM;
    private final ExecutorService httpThreads;
    private final ScheduledExecutorService timer;
    private final HttpClient http;
    private final ReferenceApi api;
    private final WriteLedger ledger = new WriteLedger();
    private final AtomicLong writeIds = new AtomicLong(CatalogSetup.CREATION_WRITE_ID);
    /** Keeps this run's tenants apart from earlier runs' on a deployment that outlives the harness. */
    private final String runId = UUID.randomUUID().toString().substring(0, 6);
    private EntityCatalog loadCatalog;

    /**
     * @param prefixStrategies the invalidator's Redis strategies, when this build has them
     */
    public BenchRunner(ClusterTarget target, Profile profile, PrintStream console,
            Optional<PrefixStrategies> prefixStrategies) {
        this.target = target;
        this.profile = profile;
        this.console = console;
        this.prefixStrategies = prefixStrategies;
        this.httpThreads = Executors.newFixedThreadPool(HTTP_THREADS, daemonThreads("lt-http"));
        this.timer = Executors.newSingleThreadScheduledExecutor(daemonThreads("lt-timer"));
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .executor(httpThreads)
                .build();
        this.api = new ReferenceApi(http, target::bearerToken, REQUEST_TIMEOUT);
    }

    public Outcome run(Path outputDirectory, String command) throws IOException, InterruptedException {
        Instant started = Instant.now();
        long startNanos = clock.nanoTime();
        ResultSheet sheet = new ResultSheet();
        List<PhaseKind> failed = new ArrayList<>();
        console.println("cachebus bench: profile " + profile.name() + " on " + target.description());
        for (PhaseKind phase : profile.phases()) {
            console.println("== " + phase.name().toLowerCase(Locale.ROOT).replace('_', ' '));
            try {
                runPhase(phase, sheet);
            } catch (InterruptedException e) {
                throw e;
            } catch (RuntimeException e) {
                failed.add(phase);
                String reason = "phase " + phase + " failed: " + e;
                console.println("   " + reason);
                for (String figure : figuresOf(phase)) {
                    sheet.notMeasured.putIfAbsent(figure, reason);
                }
            }
        }
        BenchReport report = assemble(sheet, started, (clock.nanoTime() - startNanos) / 1e9);
        ReportFiles.Written files = ReportFiles.write(report, sheet.histograms(), outputDirectory, command);
        return new Outcome(report, files, List.copyOf(failed));
    }

    private void runPhase(PhaseKind phase, ResultSheet sheet) throws InterruptedException {
        switch (phase) {
            case LOAD:
                load(sheet);
                break;
            case INVALIDATION_OFF_BASELINE:
                invalidationOffBaseline(sheet);
                break;
            case READ_THROUGHPUT:
                readThroughput(sheet);
                break;
            case PREFIX_INVALIDATION:
                prefixInvalidation(sheet);
                break;
            case INVALIDATOR_THROUGHPUT:
                invalidatorThroughput(sheet);
                break;
            default:
                throw new IllegalStateException("no implementation for phase " + phase);
        }
    }

    /** The report fields a phase fills, so a failed phase marks exactly those as not measured. */
    static List<String> figuresOf(PhaseKind phase) {
        switch (phase) {
            case LOAD:
                return List.of("read_latency_ms", "write_latency_ms", "propagation_ms", "stale_reads_beyond_bound",
                        "hit_ratio");
            case INVALIDATION_OFF_BASELINE:
                return List.of("write_latency_no_invalidation_ms");
            case READ_THROUGHPUT:
                return List.of("cached_read_rps", "uncached_read_rps");
            case PREFIX_INVALIDATION:
                return List.of("prefix_invalidation_ms");
            case INVALIDATOR_THROUGHPUT:
                return List.of("invalidator_events_per_s");
            default:
                return List.of(phase.name().toLowerCase(Locale.ROOT));
        }
    }

    private void load(ResultSheet sheet) throws InterruptedException {
        Profile.Workload workload = profile.workload();
        List<URI> nodes = target.apiNodes();
        console.printf("   creating %d entities for %d tenants on %d nodes%n", workload.entities(),
                workload.tenants(), nodes.size());
        loadCatalog = CatalogSetup.create(api, nodes, tenants("t", workload.tenants()), workload.entitiesPerDomain(),
                ledger, clock, profile.seed());
        LoadDriver driver = new LoadDriver(api, nodes, mix(loadCatalog, nodes.size()), ledger, writeIds, clock);
        drive("warm-up", driver, LoadRecording.discarded(), profile.timing().warmup());

        Optional<CacheLookups> lookupsBefore = scrapeLookups(nodes, sheet);
        StaleReadChecker staleReads = new StaleReadChecker(profile.timing().boundMs());
        Profile.Propagation sampling = profile.propagation();
        PropagationProbe propagation = new PropagationProbe(nodes,
                (node, entity) -> api.read(node, entity).thenApply(reply -> reply.ok() ? reply.value() : Marker.NONE),
                timer, clock, sampling.pollInterval(), sampling.timeout(), sampling.spacing(),
                sampling.maxConcurrent());
        LoadRecording recording = new LoadRecording("reads", "writes", staleReads, propagation);
        long measureStart = clock.nanoTime();
        drive("load", driver, recording, profile.timing().measure());
        double measuredSeconds = (clock.nanoTime() - measureStart) / 1e9;
        propagation.awaitIdle(sampling.timeout().plusSeconds(1));
        Optional<CacheLookups> lookupsAfter = scrapeLookups(nodes, sheet);

        sheet.reads = recording.readCount.sum();
        sheet.writes = recording.writeCount.sum();
        sheet.errors += recording.errors.sum();
        sheet.readLatency = recording.reads.snapshot();
        sheet.writeLatency = recording.writes.snapshot();
        sheet.propagation = propagation.latency().snapshot();
        sheet.propagationDetail = new BenchReport.PropagationDetail(sheet.propagation.getTotalCount(),
                propagation.timeouts(), propagation.polls());
        if (sheet.propagation.getTotalCount() == 0) {
            sheet.notMeasured("propagation_ms", "no write was acknowledged during the measured load");
        }

        StaleReadChecker.Summary stale = staleReads.judgeAll(ledger);
        sheet.staleReadsBeyondBound = stale.staleBeyondBound();
        sheet.staleReadCheck = new BenchReport.StaleReadCheck(stale.checked(), stale.supersededWithinBound(),
                stale.unknownMarker(), stale.staleBeyondBound() == 0 ? null : stale.maxStalenessMsBeyondBound(),
                stale.examples().stream().map(e -> e.entity() + " showed value " + e.value() + ", "
                        + String.format(Locale.ROOT, "%.1f", e.stalenessMs()) + " ms after it was superseded").toList());
        console.printf("   stale-read check: %d reads, %d beyond %d ms, %d superseded within the bound, %d unknown%n",
                stale.checked(), stale.staleBeyondBound(), profile.timing().boundMs(), stale.supersededWithinBound(),
                stale.unknownMarker());

        if (lookupsBefore.isPresent() && lookupsAfter.isPresent()) {
            CacheLookups during = lookupsAfter.get().since(lookupsBefore.get());
            during.hitRatio().ifPresentOrElse(ratio -> sheet.hitRatio = ratio,
                    () -> sheet.notMeasured("hit_ratio", "the nodes counted no " + CacheLookups.METRIC
                            + " during the load"));
        }
        sheet.load = new BenchReport.LoadDetail(workload.requestsPerSecond(),
                (recording.readCount.sum() + recording.writeCount.sum() + recording.errors.sum()) / measuredSeconds,
                measuredSeconds, workload.tenants(), loadCatalog.size(), nodes.size(), workload.readRatio(),
                workload.zipfExponent());
    }

    private void invalidationOffBaseline(ResultSheet sheet) throws InterruptedException {
        Optional<ApiNodes> baselineNodes = target.nodes(NodeMode.INVALIDATION_OFF);
        if (baselineNodes.isEmpty()) {
            sheet.notMeasured("write_latency_no_invalidation_ms", "the target has no API nodes with invalidation "
                    + "off (for a deployment given by URLs: --no-invalidation-urls)");
            return;
        }
        try (ApiNodes nodes = baselineNodes.get()) {
            Profile.Workload workload = profile.workload();
            // Tenants of their own: writes here publish nothing, so the normal nodes would keep stale copies.
            EntityCatalog catalog = CatalogSetup.create(api, nodes.urls(), tenants("b", workload.tenants()),
                    workload.entitiesPerDomain(), ledger, clock, profile.seed());
            LoadDriver driver = new LoadDriver(api, nodes.urls(), mix(catalog, nodes.urls().size()), ledger, writeIds,
                    clock);
            drive("baseline warm-up", driver, LoadRecording.discarded(), profile.timing().warmup());
            LoadRecording recording = new LoadRecording("baseline reads", "baseline writes", null, null);
            drive("baseline", driver, recording, profile.timing().baseline());
            sheet.writeLatencyNoInvalidation = recording.writes.snapshot();
            sheet.errors += recording.errors.sum();
        }
    }

    private void readThroughput(ResultSheet sheet) throws InterruptedException {
        if (loadCatalog == null) {
            sheet.notMeasured("cached_read_rps", "needs the entities of the LOAD phase, which did not run");
            sheet.notMeasured("uncached_read_rps", "needs the entities of the LOAD phase, which did not run");
            return;
        }
        Profile.ReadThroughput settings = profile.throughput();
        List<EntityRef> hot = loadCatalog.hottest(settings.hotEntities());
        ClosedLoopReads reads = new ClosedLoopReads(api, clock);
        sheet.cachedReadRps = saturate(reads, "cached", target.apiNodes(), hot, settings, sheet);
        Optional<ApiNodes> uncachedNodes = target.nodes(NodeMode.CACHE_OFF);
        if (uncachedNodes.isEmpty()) {
            sheet.notMeasured("uncached_read_rps", "the target has no API nodes with caching off (for a "
                    + "deployment given by URLs: --uncached-urls)");
            return;
        }
        try (ApiNodes nodes = uncachedNodes.get()) {
            sheet.uncachedReadRps = saturate(reads, "caching off", nodes.urls(), hot, settings, sheet);
        }
    }

    private double saturate(ClosedLoopReads reads, String label, List<URI> nodes,
            List<EntityRef> entities, Profile.ReadThroughput settings, ResultSheet sheet)
            throws InterruptedException {
        reads.run(nodes, entities, settings.concurrency(), Duration.ofSeconds(1));
        ClosedLoopReads.Result result = reads.run(nodes, entities, settings.concurrency(), settings.duration());
        console.printf("   %s: %,.0f reads/s (%d clients, %d entities, %d errors)%n", label, result.readsPerSecond(),
                settings.concurrency(), entities.size(), result.errors());
        sheet.errors += result.errors();
        return result.readsPerSecond();
    }

    private void prefixInvalidation(ResultSheet sheet) {
        if (prefixStrategies.isEmpty()) {
            sheet.notMeasured("prefix_invalidation_ms", "this build has no invalidator strategies to measure");
            return;
        }
        if (!RedisServer.isAvailable()) {
            sheet.notMeasured("prefix_invalidation_ms", "needs a redis-server on this machine (none installed)");
            return;
        }
        Profile.PrefixInvalidation settings = profile.prefix();
        console.printf("   filling a redis-server of its own with %,d keys, %,d under the prefix%n",
                settings.keyspace(), settings.keysUnderPrefix());
        try (KeyspaceFixture fixture = KeyspaceFixture.start(settings.keyspace(), settings.keysUnderPrefix(),
                "lt" + runId + "-prefix", "workflows")) {
            try (PrefixStrategies.Bound strategies = prefixStrategies.get().on(fixture.redis())) {
                sheet.scanCost = cost(PrefixInvalidationBench.measure(fixture, strategies.scan(),
                        settings.repetitions()));
                sheet.defaultCost = cost(PrefixInvalidationBench.measure(fixture, strategies.defaultStrategy(),
                        settings.repetitions()));
            }
        }
    }

    private BenchReport.StrategyCost cost(PrefixInvalidationBench.Cost cost) {
        console.printf("   %s: p50 %.3f ms over %,d keys, %,d removed%n", cost.strategy(), cost.p50Millis(),
                cost.keyspace(), cost.removed());
        return new BenchReport.StrategyCost(cost.keyspace(), cost.removed(), round3(cost.p50Millis()), cost.strategy(),
                cost.runsMillis().stream().map(BenchRunner::round3).toList());
    }

    private void invalidatorThroughput(ResultSheet sheet) {
        Optional<String> kafka = target.kafkaBootstrapServers();
        if (kafka.isEmpty()) {
            sheet.notMeasured("invalidator_events_per_s", "the harness has no access to the target's Kafka "
                    + "(for a deployment given by URLs: --kafka-bootstrap)");
            return;
        }
        Profile.InvalidatorThroughput settings = profile.invalidator();
        console.printf("   producing a backlog of %,d events over %,d tenant domains%n", settings.events(),
                settings.scopes());
        InvalidatorThroughputProbe.Result result = new InvalidatorThroughputProbe(kafka.get(), target.invalidators())
                .run(settings.events(), settings.scopes(), settings.timeout());
        console.printf("   %,.0f events/s, %.1f events per invalidation (%s)%n", result.eventsPerSecond(),
                result.coalescingRatio(), result.backlogFirst() ? "one instance on a backlog"
                        : "the group, while the harness produced: a lower bound");
        if (Double.isNaN(result.eventsPerSecond())) {
            sheet.notMeasured("invalidator_events_per_s", "every broadcast arrived in one poll: too few events to "
                    + "time; raise the profile's event count");
        } else {
            sheet.invalidatorEventsPerS = result.eventsPerSecond();
            if (!result.backlogFirst()) {
                sheet.notMeasured("invalidator_events_per_s (single instance)", "the target gives no control over "
                        + "its invalidators: the figure is the whole group's while the harness produced, a lower "
                        + "bound");
            }
        }
        sheet.coalescingRatio = result.coalescingRatio();
    }

    private void drive(String phase, LoadDriver driver, LoadRecording recording, Duration duration)
            throws InterruptedException {
        Profile.Workload workload = profile.workload();
        OpenLoopScheduler.Outcome outcome;
        try (ProgressLine line = ProgressLine.start(console, phase, recording::progress)) {
            outcome = driver.run(workload.requestsPerSecond(), workload.maxInFlight(), duration, recording);
        }
        if (outcome.stillInFlight() > 0) {
            console.printf("   %d requests still unanswered %s after the phase ended%n", outcome.stillInFlight(),
                    LoadDriver.DRAIN_TIMEOUT);
        }
        recording.firstErrors().forEach(error -> console.println("   error: " + error));
    }

    private WorkloadMix mix(EntityCatalog catalog, int nodes) {
        Profile.Workload workload = profile.workload();
        return new WorkloadMix(catalog, workload.zipfExponent(), workload.readRatio(),
                workload.derivedShareOfReads(), nodes, profile.seed());
    }

    private List<String> tenants(String kind, int count) {
        return IntStream.range(0, count).mapToObj(i -> String.format(Locale.ROOT, "lt%s-%s%03d", runId, kind, i))
                .toList();
    }

    /** Sums the nodes' cache lookup counters; empty (with the reason noted) when a node cannot be scraped. */
    private Optional<CacheLookups> scrapeLookups(List<URI> nodes, ResultSheet sheet) throws InterruptedException {
        List<PrometheusSamples> scrapes = new ArrayList<>();
        for (URI node : nodes) {
            URI endpoint = target.metricsEndpoint(node);
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(endpoint).timeout(REQUEST_TIMEOUT)
                        .GET().build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    sheet.notMeasured("hit_ratio", endpoint + " answered " + response.statusCode());
                    return Optional.empty();
                }
                scrapes.add(PrometheusSamples.parse(response.body()));
            } catch (IOException | IllegalArgumentException e) {
                sheet.notMeasured("hit_ratio", "could not scrape " + endpoint + ": " + e);
                return Optional.empty();
            }
        }
        return Optional.of(CacheLookups.sumOf(scrapes));
    }

    private BenchReport assemble(ResultSheet sheet, Instant started, double totalSeconds) {
        Histogram reads = orEmpty(sheet.readLatency);
        Histogram writes = orEmpty(sheet.writeLatency);
        Histogram baseline = orEmpty(sheet.writeLatencyNoInvalidation);
        Histogram propagation = orEmpty(sheet.propagation);
        return new BenchReport(
                profile.name(),
                sheet.reads,
                sheet.writes,
                new BenchReport.ReadLatency(LatencyStat.millisAt(reads, 50), LatencyStat.millisAt(reads, 99),
                        LatencyStat.millisAt(reads, 99.9)),
                new BenchReport.WriteLatency(LatencyStat.millisAt(writes, 50), LatencyStat.millisAt(writes, 99)),
                new BenchReport.WriteLatency(LatencyStat.millisAt(baseline, 50), LatencyStat.millisAt(baseline, 99)),
                new BenchReport.PropagationLatency(LatencyStat.millisAt(propagation, 50),
                        LatencyStat.millisAt(propagation, 99), LatencyStat.maxMillis(propagation)),
                profile.timing().boundMs(),
                sheet.staleReadsBeyondBound,
                sheet.hitRatio == null ? null : round3(sheet.hitRatio),
                sheet.cachedReadRps == null ? null : round1(sheet.cachedReadRps),
                sheet.uncachedReadRps == null ? null : round1(sheet.uncachedReadRps),
                new BenchReport.PrefixInvalidation(sheet.scanCost, sheet.defaultCost),
                sheet.invalidatorEventsPerS == null ? null : round1(sheet.invalidatorEventsPerS),
                sheet.coalescingRatio == null ? null : round1(sheet.coalescingRatio),
                sheet.errors,
                sheet.propagationDetail,
                sheet.staleReadCheck,
                sheet.load,
                sheet.notMeasured,
                new BenchReport.RunInfo(target.description(), started.toString(), round1(totalSeconds),
                        MachineInfo.describe()),
                sheet.extensions);
    }

    private static Histogram orEmpty(Histogram histogram) {
        return histogram != null ? histogram : new Histogram(3);
    }

    private static double round1(double value) {
        return Math.round(value * 10) / 10.0;
    }

    private static double round3(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void close() {
        timer.shutdownNow();
        httpThreads.shutdownNow();
    }
}
