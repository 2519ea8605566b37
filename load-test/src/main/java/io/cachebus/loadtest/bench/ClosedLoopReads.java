package io.cachebus.loadtest.bench;

import io.cachebus.loadtest.workload.EntityRef;
import io.cachebus.loadtest.workload.NanoClock;
import io.cachebus.loadtest.workload.ReferenceApi;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Read throughput at saturation: {@code concurrency} clients, each sending its next GET the moment the previous
 * one answered, over a fixed set of entities and nodes. Closed-loop on purpose: this measures capacity, not
 * latency under a given rate.
 */
final class ClosedLoopReads {

    /** Successful reads, failed ones, and how long it took. */
    record Result(long reads, long errors, double seconds) {

        double readsPerSecond() {
            return reads / seconds;
        }
    }

    private final ReferenceApi api;
    private final NanoClock clock;

    ClosedLoopReads(ReferenceApi api, NanoClock clock) {
        this.api = api;
        this.clock = clock;
    }

    Result run(List<URI> nodes, List<EntityRef> entities, int concurrency, Duration duration)
            throws InterruptedException {
        LongAdder reads = new LongAdder();
        LongAdder errors = new LongAdder();
        AtomicLong next = new AtomicLong();
        long start = clock.nanoTime();
        long end = start + duration.toNanos();
        CountDownLatch clientsDone = new CountDownLatch(concurrency);
        for (int client = 0; client < concurrency; client++) {
            readUntil(end, nodes, entities, next, reads, errors, clientsDone);
        }
        if (!clientsDone.await(duration.toMillis() + LoadDriver.DRAIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("read clients did not finish after " + duration);
        }
        return new Result(reads.sum(), errors.sum(), (clock.nanoTime() - start) / 1e9);
    }

    private void readUntil(long end, List<URI> nodes, List<EntityRef> entities, AtomicLong next, LongAdder reads,
            LongAdder errors, CountDownLatch done) {
        if (clock.nanoTime() >= end) {
            done.countDown();
            return;
        }
        long index = next.getAndIncrement();
        URI node = nodes.get((int) (index % nodes.size()));
        EntityRef entity = entities.get((int) ((index / nodes.size()) % entities.size()));
        api.read(node, entity).whenComplete((reply, error) -> {
            if (error == null && reply.ok()) {
                reads.increment();
            } else {
                errors.increment();
            }
            readUntil(end, nodes, entities, next, reads, errors, done);
        });
    }
}
