package io.cachebus.loadtest.bench;

import io.cachebus.loadtest.workload.NanoClock;
import io.cachebus.loadtest.workload.ReferenceApi.Reply;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Throughput at saturation: {@code clients} clients, each sending its next request the moment its previous one
 * answered, until the time is up. Closed-loop on purpose: this measures capacity, not latency under a given rate.
 */
final class ClosedLoop {

    /** What client {@code client} sends as its {@code round}-th request. */
    @FunctionalInterface
    interface Request {
        CompletableFuture<Reply> send(int client, long round);
    }

    /**
     * @param ok          requests answered with a 2xx
     * @param rateLimited requests answered 429: the figure would be the rate limiter's
     * @param failed      every other answer, and requests that got none
     * @param seconds     from the first request to the last answer
     */
    record Result(long ok, long rateLimited, long failed, double seconds) {

        double okPerSecond() {
            return ok / seconds;
        }
    }

    private static final int TOO_MANY_REQUESTS = 429;

    private final NanoClock clock;

    ClosedLoop(NanoClock clock) {
        this.clock = clock;
    }

    Result run(int clients, Duration duration, Request request) throws InterruptedException {
        LongAdder ok = new LongAdder();
        LongAdder rateLimited = new LongAdder();
        LongAdder failed = new LongAdder();
        long start = clock.nanoTime();
        long end = start + duration.toNanos();
        CountDownLatch clientsDone = new CountDownLatch(clients);
        for (int client = 0; client < clients; client++) {
            sendUntil(end, client, 0, request, ok, rateLimited, failed, clientsDone);
        }
        if (!clientsDone.await(duration.toMillis() + LoadDriver.DRAIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("closed-loop clients did not finish " + LoadDriver.DRAIN_TIMEOUT
                    + " after " + duration);
        }
        return new Result(ok.sum(), rateLimited.sum(), failed.sum(), (clock.nanoTime() - start) / 1e9);
    }

    private void sendUntil(long end, int client, long round, Request request, LongAdder ok, LongAdder rateLimited,
            LongAdder failed, CountDownLatch done) {
        if (clock.nanoTime() >= end) {
            done.countDown();
            return;
        }
        request.send(client, round).whenComplete((reply, error) -> {
            if (error == null && reply.ok()) {
                ok.increment();
            } else if (error == null && reply.status() == TOO_MANY_REQUESTS) {
                rateLimited.increment();
            } else {
                failed.increment();
            }
            sendUntil(end, client, round + 1, request, ok, rateLimited, failed, done);
        });
    }
}
