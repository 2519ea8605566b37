package io.cachebus.loadtest.workload;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends requests at a fixed arrival rate, whatever the system under test does (an open-loop load).
 *
 * <p>Request {@code i} has the intended send time {@code start + i / rate}, fixed before the run begins.
 * A slow response does not delay the next intended time; callers measure latency from the intended time, not
 * from the moment the request actually left, so queueing (in the harness or the server) shows in the latency
 * instead of silently lowering the rate: the "coordinated omission" a closed-loop load generator suffers from.
 *
 * <p>At most {@code maxInFlight} requests are outstanding. When that many are, the scheduler waits for one
 * to finish; the intended times stay as they were, so that wait is counted in the latency of every request
 * it delays.
 */
public final class OpenLoopScheduler {

    /** Sends request number {@code sequence}, intended to leave at {@code intendedNanos}. */
    @FunctionalInterface
    public interface Dispatcher {
        CompletionStage<?> dispatch(long sequence, long intendedNanos);
    }

    /** What happened in one run. */
    public record Outcome(long scheduled, long dispatchFailures, long stillInFlight, long startNanos) {
    }

    private final double ratePerSecond;
    private final int maxInFlight;
    private final NanoClock clock;

    public OpenLoopScheduler(double ratePerSecond, int maxInFlight, NanoClock clock) {
        if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
            throw new IllegalArgumentException("rate must be positive, was " + ratePerSecond);
        }
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1, was " + maxInFlight);
        }
        this.ratePerSecond = ratePerSecond;
        this.maxInFlight = maxInFlight;
        this.clock = clock;
    }

    /** The intended send time of request {@code sequence} in a run that started at {@code startNanos}. */
    public long intendedTime(long startNanos, long sequence) {
        return startNanos + Math.round(sequence * (1_000_000_000.0 / ratePerSecond));
    }

    /** How many requests a run of {@code duration} sends. */
    public long requestsIn(Duration duration) {
        return (long) Math.floor(duration.toNanos() / 1_000_000_000.0 * ratePerSecond);
    }

    /**
     * Runs for {@code duration} on the calling thread, then waits up to {@code drainTimeout} for the requests
     * still in flight.
     */
    public Outcome run(Duration duration, Duration drainTimeout, Dispatcher dispatcher) throws InterruptedException {
        return run(duration, drainTimeout, dispatcher, false);
    }

    /**
     * {@link #run} that stops sending when {@code duration} is over, even when the in-flight cap held requests back
     * (a rate beyond what the target serves): what is sent then is what the target completed in that time.
     */
    public Outcome runNoLongerThan(Duration duration, Duration drainTimeout, Dispatcher dispatcher)
            throws InterruptedException {
        return run(duration, drainTimeout, dispatcher, true);
    }

    private Outcome run(Duration duration, Duration drainTimeout, Dispatcher dispatcher, boolean cutOff)
            throws InterruptedException {
        Semaphore slots = new Semaphore(maxInFlight);
        AtomicLong failures = new AtomicLong();
        long total = requestsIn(duration);
        long start = clock.nanoTime();
        long end = start + duration.toNanos();
        for (long sequence = 0; sequence < total; sequence++) {
            long intended = intendedTime(start, sequence);
            clock.sleepUntil(intended);
            slots.acquire();
            if (cutOff && clock.nanoTime() >= end) {
                slots.release();
                total = sequence;
                break;
            }
            CompletionStage<?> sent;
            try {
                sent = dispatcher.dispatch(sequence, intended);
            } catch (RuntimeException e) {
                slots.release();
                failures.incrementAndGet();
                continue;
            }
            sent.whenComplete((result, error) -> slots.release());
        }
        boolean drained = slots.tryAcquire(maxInFlight, drainTimeout.toNanos(), TimeUnit.NANOSECONDS);
        long stillInFlight = drained ? 0 : maxInFlight - slots.availablePermits();
        if (drained) {
            slots.release(maxInFlight);
        }
        return new Outcome(total, failures.get(), stillInFlight, start);
    }
}
