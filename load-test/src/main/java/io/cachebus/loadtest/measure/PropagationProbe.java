package io.cachebus.loadtest.measure;

import io.cachebus.loadtest.workload.EntityRef;
import io.cachebus.loadtest.workload.NanoClock;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Measures propagation: for a sample of acknowledged writes, polls every API node until it returns the new data
 * (the written value or a later one: the values must increase with every write, as workflow markers do), and
 * records the time from the write's response until the last node did.
 * A node's time is taken when its first up-to-date response arrived, so the figure includes one request's round
 * trip and errs on the slow side.
 *
 * <p>Probes are spaced (at most one starts per {@code spacing}) and capped in number, so the polling adds little
 * load. A probe that has not seen every node up to date after {@code timeout} records the timeout as its
 * latency and counts in {@link #timeouts()}: a slow tail is reported, never dropped.
 */
public final class PropagationProbe {

    /** Reads the value an entity holds on one node; completes with a negative value when it could not. */
    @FunctionalInterface
    public interface MarkerReader {
        CompletableFuture<Long> read(URI node, EntityRef entity);
    }

    private final List<URI> nodes;
    private final MarkerReader reader;
    private final ScheduledExecutorService timer;
    private final NanoClock clock;
    private final long pollIntervalNanos;
    private final long timeoutNanos;
    private final long spacingNanos;
    private final int maxConcurrent;
    private final LatencyStat latency = new LatencyStat("propagation");
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong lastStart = new AtomicLong(Long.MIN_VALUE);
    private final LongAdder timeouts = new LongAdder();
    private final LongAdder polls = new LongAdder();
    private volatile boolean paused;

    public PropagationProbe(List<URI> nodes, MarkerReader reader, ScheduledExecutorService timer, NanoClock clock,
            Duration pollInterval, Duration timeout, Duration spacing, int maxConcurrent) {
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("no nodes to probe");
        }
        this.nodes = List.copyOf(nodes);
        this.reader = reader;
        this.timer = timer;
        this.clock = clock;
        this.pollIntervalNanos = pollInterval.toNanos();
        this.timeoutNanos = timeout.toNanos();
        this.spacingNanos = spacing.toNanos();
        this.maxConcurrent = maxConcurrent;
    }

    /**
     * Offers an acknowledged write; starts a probe for it when the spacing and the cap allow.
     *
     * @return whether a probe started
     */
    public boolean offer(EntityRef entity, long value, long ackNanos) {
        if (paused) {
            return false;
        }
        long previous = lastStart.get();
        if (previous != Long.MIN_VALUE && ackNanos - previous < spacingNanos) {
            return false;
        }
        if (!lastStart.compareAndSet(previous, ackNanos)) {
            return false;
        }
        if (inFlight.incrementAndGet() > maxConcurrent) {
            inFlight.decrementAndGet();
            return false;
        }
        new Probe(entity, value, ackNanos).start();
        return true;
    }

    /**
     * Starts no probe until {@link #resume()}; those already started go on. For windows whose cache counters must
     * not include the probes' polls, which read just-written entities on every node.
     */
    public void pause() {
        paused = true;
    }

    public void resume() {
        paused = false;
    }

    public LatencyStat latency() {
        return latency;
    }

    public long timeouts() {
        return timeouts.sum();
    }

    /** Every poll request sent, a measure of the load the probe added. */
    public long polls() {
        return polls.sum();
    }

    /** Waits until every started probe has finished or {@code maxWait} passed. */
    public void awaitIdle(Duration maxWait) throws InterruptedException {
        long deadline = System.nanoTime() + maxWait.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    /** One sampled write, polled on every node. */
    private final class Probe {

        private final EntityRef entity;
        private final long value;
        private final long ackNanos;
        private final AtomicInteger nodesPending;
        private final AtomicLong lastNodeUpToDate = new AtomicLong();
        private final AtomicBoolean finished = new AtomicBoolean();

        Probe(EntityRef entity, long value, long ackNanos) {
            this.entity = entity;
            this.value = value;
            this.ackNanos = ackNanos;
            this.nodesPending = new AtomicInteger(nodes.size());
        }

        void start() {
            nodes.forEach(this::poll);
        }

        private void poll(URI node) {
            if (finished.get()) {
                return;
            }
            polls.increment();
            reader.read(node, entity).whenComplete((seen, error) -> {
                long now = clock.nanoTime();
                if (error == null && seen != null && seen >= value) {
                    lastNodeUpToDate.accumulateAndGet(now, Math::max);
                    if (nodesPending.decrementAndGet() == 0) {
                        finish(lastNodeUpToDate.get() - ackNanos, false);
                    }
                } else if (now - ackNanos >= timeoutNanos) {
                    finish(timeoutNanos, true);
                } else {
                    timer.schedule(() -> poll(node), pollIntervalNanos, TimeUnit.NANOSECONDS);
                }
            });
        }

        private void finish(long propagationNanos, boolean timedOut) {
            if (finished.compareAndSet(false, true)) {
                latency.recordNanos(propagationNanos);
                if (timedOut) {
                    timeouts.increment();
                }
                inFlight.decrementAndGet();
            }
        }
    }
}
