package io.cachebus.loadtest.bench;

import io.cachebus.loadtest.workload.DatasetTenants;
import io.cachebus.localcluster.dataset.DatasetSummary;
import io.cachebus.loadtest.deployment.ClusterTarget;
import io.cachebus.loadtest.measure.NodesStalenessBound;
import io.cachebus.loadtest.measure.PrometheusSamples;
import io.cachebus.loadtest.measure.WriteLedger;
import io.cachebus.loadtest.profile.Profile;
import io.cachebus.loadtest.report.ProgressLine;
import io.cachebus.loadtest.workload.EntityCatalog;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * What the phases of one run share: the target, the profile, the console, one HTTP client and its threads, the
 * ledger of every write, and the entities of the load (which the read throughput phase reads again).
 */
final class RunContext implements AutoCloseable {

    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final int HTTP_THREADS = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());

    final ClusterTarget target;
    final Profile profile;
    final PrintStream console;
    final NanoClock clock = NanoClock.SYSTEM;
    final ScheduledExecutorService timer;
    final HttpClient http;
    final ReferenceApi api;
    final WriteLedger ledger = new WriteLedger();
    /** Numbers every write of the run, so a workflow's value names its write uniquely. */
    final AtomicLong writeIds = new AtomicLong(CatalogSetup.CREATION_WRITE_ID);
    /** Keeps this run's tenants apart from earlier runs' on a deployment that outlives the harness. */
    final String runId = UUID.randomUUID().toString().substring(0, 6);
    private final ExecutorService httpThreads;
    /** The load's entities, once the load phase created them. */
    EntityCatalog loadCatalog;
    /** The tenants each kind of entities was given, so that no two kinds share one; guarded by this. */
    private final Map<String, List<String>> tenantsByKind = new HashMap<>();

    RunContext(ClusterTarget target, Profile profile, PrintStream console) {
        this.target = target;
        this.profile = profile;
        this.console = console;
        this.httpThreads = Executors.newFixedThreadPool(HTTP_THREADS, daemonThreads("lt-http"));
        this.timer = Executors.newSingleThreadScheduledExecutor(daemonThreads("lt-timer"));
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .executor(httpThreads)
                .build();
        this.api = new ReferenceApi(http, target::bearerToken, REQUEST_TIMEOUT);
    }

    /**
     * The tenants of this run's entities of {@code kind}: on a database holding the realistic dataset, tenants of the
     * dataset drawn Zipf over their sizes ({@link DatasetTenants}), none of them given to another kind of this run;
     * else this run's own, {@code lt<run>-<kind><n>}. Kinds never share a tenant: a tenant's lists and counts are
     * cached for all its entities, and writes of another kind (the baseline's, which publish no invalidation) would
     * leave them stale on the nodes.
     */
    synchronized List<String> tenants(String kind, int count) {
        List<String> dealt = tenantsByKind.get(kind);
        if (dealt != null) {
            return dealt.subList(0, Math.min(count, dealt.size()));
        }
        Optional<DatasetSummary> dataset = target.dataset();
        List<String> tenants = dataset.isPresent()
                ? DatasetTenants.draw(dataset.get(), count, profile.seed() ^ kind.hashCode(), tenantsGiven())
                : IntStream.range(0, count).mapToObj(i -> String.format(Locale.ROOT, "lt%s-%s%03d", runId, kind, i))
                        .toList();
        tenantsByKind.put(kind, tenants);
        return tenants;
    }

    /**
     * Draws the tenants of several kinds at once, {@code count} each, dealt in turn from one draw: kinds whose figures
     * are compared (the measured load and its baseline) get tenants of the same sizes. Before {@link #tenants} of them.
     */
    synchronized void dealTenants(int count, String... kinds) {
        Optional<DatasetSummary> dataset = target.dataset();
        if (dataset.isEmpty()) {
            return;
        }
        List<List<String>> hands = DatasetTenants.deal(dataset.get(), count, kinds.length,
                profile.seed() ^ String.join(",", kinds).hashCode(), tenantsGiven());
        for (int i = 0; i < kinds.length; i++) {
            tenantsByKind.put(kinds[i], hands.get(i));
        }
    }

    private Set<String> tenantsGiven() {
        Set<String> given = new HashSet<>();
        tenantsByKind.values().forEach(given::addAll);
        return given;
    }

    /** The profile's workload over {@code catalog}, spread over {@code nodes} nodes. */
    WorkloadMix mix(EntityCatalog catalog, int nodes) {
        Profile.Workload workload = profile.workload();
        return new WorkloadMix(catalog, workload.zipfExponent(), workload.readRatio(), workload.derivedShareOfReads(),
                nodes, profile.seed());
    }

    /** Creates the profile's entities for tenants of {@code kind} through {@code nodes}. */
    EntityCatalog createEntities(String kind, List<URI> nodes) throws InterruptedException {
        Profile.Workload workload = profile.workload();
        console.printf("   creating %d entities for %d tenants on %d nodes%n", workload.entities(), workload.tenants(),
                nodes.size());
        // the label keeps the names of this run's workflows apart from others' in a tenant they share (the dataset's)
        return CatalogSetup.create(api, nodes, tenants(kind, workload.tenants()), workload.entitiesPerDomain(),
                runId + "-" + kind, ledger, clock, profile.seed());
    }

    /** Runs the profile's open-loop load for {@code duration} with a progress line named {@code label}. */
    void drive(String label, LoadDriver driver, LoadRecording recording, Duration duration)
            throws InterruptedException {
        drive(label, driver, recording, duration, profile.workload().requestsPerSecond());
    }

    /** {@link #drive(String, LoadDriver, LoadRecording, Duration)} at another arrival rate (an overload, say). */
    void drive(String label, LoadDriver driver, LoadRecording recording, Duration duration, double requestsPerSecond)
            throws InterruptedException {
        OpenLoopScheduler.Outcome outcome;
        try (ProgressLine line = ProgressLine.start(console, label, recording::progress)) {
            outcome = driver.run(requestsPerSecond, profile.workload().maxInFlight(), duration, recording);
        }
        if (outcome.stillInFlight() > 0) {
            console.printf("   %d requests still unanswered %s after the slice ended%n", outcome.stillInFlight(),
                    LoadDriver.DRAIN_TIMEOUT);
        }
    }

    /** One scrape of {@code node}'s Prometheus metrics. */
    PrometheusSamples scrapeNode(URI node) throws IOException, InterruptedException {
        URI endpoint = target.metricsEndpoint(node);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(endpoint).timeout(REQUEST_TIMEOUT).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(endpoint + " answered " + response.statusCode());
        }
        return PrometheusSamples.parse(response.body());
    }

    /**
     * One scrape of every node's metrics; empty, with the reason noted as {@code figure}'s, when a node cannot be
     * scraped.
     */
    Optional<List<PrometheusSamples>> scrapeMetrics(List<URI> nodes, ResultSheet sheet, String figure)
            throws InterruptedException {
        List<PrometheusSamples> scrapes = new ArrayList<>();
        for (URI node : nodes) {
            URI endpoint = target.metricsEndpoint(node);
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(endpoint).timeout(REQUEST_TIMEOUT)
                        .GET().build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    sheet.notMeasured(figure, endpoint + " answered " + response.statusCode());
                    return Optional.empty();
                }
                scrapes.add(PrometheusSamples.parse(response.body()));
            } catch (IOException | IllegalArgumentException e) {
                sheet.notMeasured(figure, "could not scrape " + endpoint + ": " + e);
                return Optional.empty();
            }
        }
        return Optional.of(scrapes);
    }

    /** The staleness bound the nodes say they enforce, read from their health endpoints now. */
    NodesStalenessBound nodesStalenessBound(List<URI> nodes) throws InterruptedException {
        List<String> bodies = new ArrayList<>();
        for (URI node : nodes) {
            URI health = target.metricsEndpoint(node).resolve("health");
            try {
                // a node that is behind answers 503 with the same details
                bodies.add(http.send(HttpRequest.newBuilder(health).timeout(REQUEST_TIMEOUT).GET().build(),
                        HttpResponse.BodyHandlers.ofString()).body());
            } catch (IOException | IllegalArgumentException e) {
                return NodesStalenessBound.unknown("could not read " + health + ": " + e);
            }
        }
        return NodesStalenessBound.fromHealth(bodies);
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
