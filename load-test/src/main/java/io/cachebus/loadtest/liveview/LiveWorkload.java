package io.cachebus.loadtest.liveview;

import io.cachebus.loadtest.workload.Domain;
import io.cachebus.loadtest.workload.EntityRef;
import io.cachebus.loadtest.workload.Marker;
import io.cachebus.loadtest.workload.ReferenceApi;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The small steady load that gives the live view something to show: a few workflows of one tenant, read on every
 * node a few times a second, and one of them written every few seconds on the next node in turn. Requests are sent
 * asynchronously from one scheduler thread; a slow node delays its own replies, not the schedule.
 */
public final class LiveWorkload implements AutoCloseable {

    /**
     * @param readEvery  the pause between two reads on one node
     * @param writeEvery the pause between two writes (each on the next node)
     * @param workflows  how many workflows the reads and writes share
     */
    public record Pace(Duration readEvery, Duration writeEvery, int workflows) {

        /** The demo's: about three reads a second per node, a write every three seconds. */
        public static Pace demo() {
            return new Pace(Duration.ofMillis(330), Duration.ofSeconds(3), 5);
        }
    }

    /** Told of every write before it is sent, so an eviction applied before its response is read is still its own. */
    interface Writes {
        /** Returns what to tell when the write turns out to have failed. */
        WriteTracker.Handle writing(int node, EntityRef entity);
    }

    private final ReferenceApi api;
    private final List<URI> nodes;
    private final String tenant;
    private final Pace pace;
    private final Writes writes;
    private final List<EntityRef> workflows = new ArrayList<>();
    private final AtomicLong marker = new AtomicLong(Marker.INITIAL);
    private final AtomicLong failedReads = new AtomicLong();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "live-view-workload");
        thread.setDaemon(true);
        return thread;
    });
    private long reads;
    private long writesSent;

    LiveWorkload(ReferenceApi api, List<URI> nodes, String tenant, Pace pace, Writes writes) {
        this.api = api;
        this.nodes = List.copyOf(nodes);
        this.tenant = tenant;
        this.pace = pace;
        this.writes = writes;
    }

    /** Creates the workflows on the first node and reads each once on every node, so the view starts warm. */
    void prepare() {
        for (int i = 0; i < pace.workflows(); i++) {
            String id = api.create(nodes.get(0), tenant, Domain.WORKFLOWS, "live-" + System.nanoTime()).join();
            workflows.add(new EntityRef(tenant, Domain.WORKFLOWS, id));
        }
        List<CompletableFuture<ReferenceApi.Reply>> warmUp = new ArrayList<>();
        for (URI node : nodes) {
            workflows.forEach(workflow -> warmUp.add(api.read(node, workflow)));
        }
        warmUp.forEach(CompletableFuture::join);
    }

    /** Starts reading and writing; the first write goes out at once. */
    void start() {
        if (workflows.isEmpty()) {
            throw new IllegalStateException("prepare() first");
        }
        long readMillis = pace.readEvery().toMillis();
        for (int node = 0; node < nodes.size(); node++) {
            int reader = node;
            // staggered, so the nodes' reads do not all leave at the same instant
            scheduler.scheduleAtFixedRate(() -> read(reader), readMillis * node / nodes.size(), readMillis,
                    TimeUnit.MILLISECONDS);
        }
        scheduler.scheduleAtFixedRate(this::write, 0, pace.writeEvery().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Reads that failed or were refused so far. */
    long failedReads() {
        return failedReads.get();
    }

    private void read(int node) {
        EntityRef workflow = workflows.get((int) (reads++ % workflows.size()));
        api.read(nodes.get(node), workflow).whenComplete((reply, error) -> {
            if (error != null || !reply.ok()) {
                failedReads.incrementAndGet();
            }
        });
    }

    private void write() {
        long sequence = writesSent++;
        int node = (int) (sequence % nodes.size());
        EntityRef workflow = workflows.get((int) (sequence % workflows.size()));
        WriteTracker.Handle handle = writes.writing(node, workflow);
        api.write(nodes.get(node), workflow, marker.incrementAndGet()).whenComplete((reply, error) -> {
            if (error != null) {
                handle.failed(String.valueOf(error.getCause() != null ? error.getCause() : error));
            } else if (!reply.ok()) {
                handle.failed("HTTP " + reply.status());
            }
        });
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
