package io.cachebus.loadtest.liveview;

import io.cachebus.loadtest.deployment.ClusterTarget;
import io.cachebus.loadtest.workload.ReferenceApi;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The cluster as it runs, in the terminal: while a small steady workload reads on every node and writes on one node
 * after the other, a table refreshed about once a second shows each node's traffic, cache tiers, L1, evictions and
 * their delay, Redis breaker and eviction subscription, and a line per write shows when its eviction reached every
 * other node. Every figure is read from the nodes' Prometheus endpoints, so the view works on any cluster the
 * harness reaches over HTTP, whatever its topology. Nodes are named api-1, api-2, ... in the target's order.
 */
public final class LiveView {

    /** The tenant of the view's workload: its own, so nothing else's caches are touched. */
    public static final String TENANT = "demo-live";

    /**
     * @param duration    how long the workload runs and the table is refreshed
     * @param refresh     the pause between two samples of the nodes
     * @param pace        the workload's
     * @param arrivalWait how long a write's eviction may take before its line reports it not seen; also the most
     *                    the view waits after the workload stopped for the last writes' evictions
     * @param plainEvery  off a terminal, the table is printed every this many refreshes (and at the end)
     */
    public record Settings(Duration duration, Duration refresh, LiveWorkload.Pace pace, Duration arrivalWait,
            int plainEvery) {

        /** The demo's: {@code duration}, a refresh a second, {@link LiveWorkload.Pace#demo()}. */
        public static Settings demo(Duration duration) {
            return new Settings(duration, Duration.ofSeconds(1), LiveWorkload.Pace.demo(), Duration.ofSeconds(10), 5);
        }
    }

    /** What the view showed last: the table's rows and every write's line. */
    public record Result(List<NodeRow> rows, List<WriteArrivals> writes) {
    }

    private static final Duration SCRAPE_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /**
     * Settling before the view starts: the most it waits for earlier writes' evictions to stop arriving (a refresh
     * period without one). One that arrives later is recognised by its delay ({@link WriteTracker#applied}).
     */
    private static final Duration SETTLE_AT_MOST = Duration.ofSeconds(10);

    private final ClusterTarget target;
    private final PrintStream out;
    private final boolean terminal;
    private final Settings settings;
    private final List<String> names = new ArrayList<>();
    private final List<NodeMetricsSampler> samplers = new ArrayList<>();
    private final LiveViewRenderer renderer = new LiveViewRenderer();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** @param terminal whether {@code out} is a terminal (redrawn in place) or a file or pipe (appended to) */
    public LiveView(ClusterTarget target, PrintStream out, boolean terminal, Settings settings) {
        this.target = target;
        this.out = out;
        this.terminal = terminal;
        this.settings = settings;
        List<URI> nodes = target.apiNodes();
        for (int i = 0; i < nodes.size(); i++) {
            names.add("api-" + (i + 1));
            samplers.add(new NodeMetricsSampler(http, target.metricsEndpoint(nodes.get(i)), SCRAPE_TIMEOUT));
        }
    }

    /**
     * {@link #run()}, or says why it stopped: the view only shows the system, so whatever comes after it (the demo's
     * benchmark) goes on either way. Empty when it stopped.
     */
    public Optional<Result> show() throws InterruptedException {
        try {
            return Optional.of(run());
        } catch (RuntimeException e) {
            out.println("   the live view stopped: " + (e.getCause() != null ? e.getCause() : e));
            out.println();
            return Optional.empty();
        }
    }

    /** Runs the workload and the view for the settings' duration, then waits for the last writes' evictions. */
    public Result run() throws InterruptedException {
        out.printf("== live view: %d s of a steady workload (tenant %s: reads on every node every %d ms, a write every"
                + " %d s on the next node)%n", settings.duration().toSeconds(), TENANT,
                settings.pace().readEvery().toMillis(), settings.pace().writeEvery().toSeconds());
        WriteTracker writes = new WriteTracker(names, settings.arrivalWait());
        ReferenceApi api = new ReferenceApi(http, target::bearerToken, REQUEST_TIMEOUT);
        List<WriteArrivals> reported = new ArrayList<>();
        try (LiveWorkload workload = new LiveWorkload(api, target.apiNodes(), TENANT, settings.pace(),
                (node, entity) -> writes.writing(node, entity.toString(), LocalTime.now(), System.nanoTime()))) {
            workload.prepare();
            List<NodeActivity> nodes = settled();
            LiveScreen screen = new LiveScreen(out, terminal, settings.plainEvery());
            long startNanos = System.nanoTime();
            long endNanos = startNanos + settings.duration().toNanos();
            long totalSeconds = settings.duration().toSeconds();
            workload.start();
            long next = startNanos;
            while (true) {
                // a round slower than the refresh (a busy machine) is followed by the next at once, not by a burst
                next = Math.max(next + settings.refresh().toNanos(), System.nanoTime());
                sleepUntil(next);
                long now = System.nanoTime();
                boolean workloadDone = now >= endNanos;
                if (workloadDone) {
                    workload.close();
                }
                sample(nodes, writes);
                boolean last = workloadDone && (!writes.waiting() || now >= endNanos + settings.arrivalWait().toNanos());
                List<WriteArrivals> done = last ? rest(writes, now) : writes.done(now);
                reported.addAll(done);
                long elapsed = Math.min(totalSeconds, Math.round((now - startNanos) / 1e9));
                screen.refresh(done.stream().map(renderer::write).toList(),
                        renderer.table(elapsed, totalSeconds, rows(nodes)), last);
                if (last) {
                    if (workload.failedReads() > 0) {
                        out.println("   " + workload.failedReads() + " reads of the workload failed");
                    }
                    out.println();
                    return new Result(rows(nodes), reported);
                }
            }
        }
    }

    /**
     * The nodes followed from a quiet moment: the tour's and {@code prepare}'s writes are evictions too, and one
     * still on its way would be taken for the first write's.
     */
    private List<NodeActivity> settled() throws InterruptedException {
        List<NodeActivity> nodes = activities();
        sample(nodes, null);
        long deadline = System.nanoTime() + SETTLE_AT_MOST.toNanos();
        long quietSince = System.nanoTime();
        while (System.nanoTime() - quietSince < settings.refresh().toNanos() && System.nanoTime() < deadline) {
            Thread.sleep(settings.refresh().toMillis() / 4);
            if (sample(nodes, null) > 0) {
                quietSince = System.nanoTime();
            }
        }
        List<NodeActivity> fresh = activities();
        sample(fresh, null);
        return fresh;
    }

    private List<NodeActivity> activities() {
        return names.stream().map(NodeActivity::new).toList();
    }

    /** Samples every node; tells {@code writes} (when given) of the evictions applied; returns how many were. */
    private long sample(List<NodeActivity> nodes, WriteTracker writes) throws InterruptedException {
        long broadcasts = 0;
        for (int i = 0; i < nodes.size(); i++) {
            Optional<NodeSample> sample = samplers.get(i).sample();
            long sampledNanos = System.nanoTime();
            Optional<NodeActivity.Applied> applied = nodes.get(i).record(sample, sampledNanos);
            if (applied.isPresent()) {
                broadcasts += applied.get().broadcasts();
                if (writes != null) {
                    writes.applied(i, applied.get().broadcasts(), applied.get().meanMillis(), sampledNanos);
                }
            }
        }
        return broadcasts;
    }

    private static List<WriteArrivals> rest(WriteTracker writes, long nowNanos) {
        List<WriteArrivals> done = new ArrayList<>(writes.done(nowNanos));
        done.addAll(writes.rest());
        return done;
    }

    private static List<NodeRow> rows(List<NodeActivity> nodes) {
        return nodes.stream().map(NodeActivity::row).toList();
    }

    private static void sleepUntil(long nanos) throws InterruptedException {
        long left = nanos - System.nanoTime();
        if (left > 0) {
            Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
        }
    }
}
