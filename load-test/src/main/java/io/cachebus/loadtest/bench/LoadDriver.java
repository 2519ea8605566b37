package io.cachebus.loadtest.bench;

import io.cachebus.loadtest.measure.InvalidateOnWriteCeiling;
import io.cachebus.loadtest.measure.LatencyStat;
import io.cachebus.loadtest.measure.WriteLedger;
import io.cachebus.loadtest.workload.EntityRef;
import io.cachebus.loadtest.workload.Marker;
import io.cachebus.loadtest.workload.NanoClock;
import io.cachebus.loadtest.workload.OpenLoopScheduler;
import io.cachebus.loadtest.workload.ReferenceApi;
import io.cachebus.loadtest.workload.ReferenceApi.Reply;
import io.cachebus.loadtest.workload.RequestKind;
import io.cachebus.loadtest.workload.WorkloadMix;
import io.cachebus.loadtest.workload.WorkloadMix.PlannedRequest;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Drives the open-loop mixed workload against a set of nodes and records into a {@link LoadRecording}. Every write
 * goes into the {@link WriteLedger} before it is sent (warm-up writes too: they change the data later reads are
 * judged against), and every request into the {@link InvalidateOnWriteCeiling}, in the order they are sent.
 */
final class LoadDriver {

    /** How long a run waits for its last requests after the final intended send time. */
    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(15);

    private final ReferenceApi api;
    private final List<URI> nodes;
    private final WorkloadMix mix;
    private final WriteLedger ledger;
    private final AtomicLong writeIds;
    private final NanoClock clock;
    private final InvalidateOnWriteCeiling ceiling;
    /** The value last sent to each entity; touched only by the scheduler thread. */
    private final Map<EntityRef, Long> lastValue = new HashMap<>();

    /**
     * @param writeIds numbers the writes of the whole run, so a workflow's value names its write uniquely
     * @param ceiling  told of every request sent, for the workload's hit ratio ceiling
     */
    LoadDriver(ReferenceApi api, List<URI> nodes, WorkloadMix mix, WriteLedger ledger, AtomicLong writeIds,
            NanoClock clock, InvalidateOnWriteCeiling ceiling) {
        this.api = api;
        this.nodes = List.copyOf(nodes);
        this.mix = mix;
        this.ledger = ledger;
        this.writeIds = writeIds;
        this.clock = clock;
        this.ceiling = ceiling;
    }

    OpenLoopScheduler.Outcome run(double rate, int maxInFlight, Duration duration, LoadRecording recording)
            throws InterruptedException {
        OpenLoopScheduler scheduler = new OpenLoopScheduler(rate, maxInFlight, clock);
        return scheduler.run(duration, DRAIN_TIMEOUT, (sequence, intended) -> send(mix.next(), intended, recording));
    }

    private CompletableFuture<?> send(PlannedRequest request, long intendedNanos, LoadRecording recording) {
        URI node = nodes.get(request.node());
        EntityRef entity = request.entity();
        long sentNanos = clock.nanoTime();
        switch (request.kind()) {
            case WRITE: {
                long writeId = writeIds.incrementAndGet();
                long value = entity.domain().nextValue(writeId, lastValue.getOrDefault(entity, Marker.INITIAL));
                lastValue.put(entity, value);
                ledger.sent(entity, writeId, value, sentNanos);
                ceiling.write(entity);
                return api.write(node, entity, value).whenComplete((reply, error) -> {
                    long done = clock.nanoTime();
                    if (succeeded(reply, error, recording, request, node)) {
                        ledger.acknowledged(entity, writeId, done);
                        record(recording.writes, recording, done - intendedNanos);
                        recording.writeCount.increment();
                        if (recording.propagation != null && entity.domain().uniqueValues()
                                && recording.propagation.offer(entity, value, done)) {
                            ceiling.readByProbe(entity);
                        }
                    }
                });
            }
            case READ:
                ceiling.read(entity, false);
                return api.read(node, entity).whenComplete((reply, error) -> {
                    long done = clock.nanoTime();
                    if (succeeded(reply, error, recording, request, node)) {
                        record(recording.reads, recording, done - intendedNanos);
                        recording.readCount.increment();
                        if (recording.staleReads != null) {
                            recording.staleReads.observe(entity, reply.value(), sentNanos, done);
                        }
                    }
                });
            case READ_DERIVED:
                ceiling.read(entity, true);
                return api.readDerived(node, entity).whenComplete((reply, error) -> {
                    long done = clock.nanoTime();
                    if (succeeded(reply, error, recording, request, node)) {
                        record(recording.reads, recording, done - intendedNanos);
                        recording.readCount.increment();
                    }
                });
            default:
                throw new IllegalStateException("unknown request kind " + request.kind());
        }
    }

    private static boolean succeeded(Reply reply, Throwable error, LoadRecording recording, PlannedRequest request,
            URI node) {
        if (error != null || reply == null || !reply.ok()) {
            recording.error(describe(request.kind()) + " " + request.entity() + " on " + node + ": "
                    + (error != null ? error.getClass().getSimpleName() + " " + error.getMessage()
                            : "HTTP " + (reply == null ? "?" : reply.status())));
            return false;
        }
        return true;
    }

    private static String describe(RequestKind kind) {
        return kind == RequestKind.WRITE ? "PATCH" : "GET";
    }

    private static void record(LatencyStat stat, LoadRecording recording, long nanos) {
        stat.recordNanos(nanos);
        recording.all.recordNanos(nanos);
    }
}
