package io.cachebus.loadtest.measure;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.loadtest.workload.Domain;
import io.cachebus.loadtest.workload.EntityRef;
import io.cachebus.loadtest.workload.NanoClock;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PropagationProbeTest {

    private static final EntityRef ENTITY = new EntityRef("tenant-a", Domain.NOTIFICATIONS, "7");
    private static final List<URI> NODES = List.of(URI.create("http://a"), URI.create("http://b"),
            URI.create("http://c"));

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    /** Nodes that show marker 5 from {@code upToDateAfterNanos} (per node, after the write's ack) on. */
    private static PropagationProbe.MarkerReader nodesUpToDateAfter(long ackNanos, Map<URI, Long> upToDateAfterNanos) {
        return (node, entity) -> CompletableFuture.completedFuture(
                System.nanoTime() - ackNanos >= upToDateAfterNanos.get(node) ? 5L : 4L);
    }

    @Test
    void recordsTheTimeUntilTheLastNodeIsUpToDate() throws InterruptedException {
        long ack = System.nanoTime();
        PropagationProbe probe = new PropagationProbe(NODES, nodesUpToDateAfter(ack, Map.of(
                NODES.get(0), 0L, NODES.get(1), 5_000_000L, NODES.get(2), 30_000_000L)),
                timer, NanoClock.SYSTEM, Duration.ofMillis(1), Duration.ofSeconds(5), Duration.ZERO, 1);

        assertThat(probe.offer(ENTITY, 5, ack)).isTrue();
        probe.awaitIdle(Duration.ofSeconds(5));

        Histogram latency = probe.latency().snapshot();
        assertThat(latency.getTotalCount()).isEqualTo(1);
        assertThat(latency.getMaxValue()).isGreaterThanOrEqualTo(30_000L).isLessThan(5_000_000L);
        assertThat(probe.timeouts()).isZero();
        assertThat(probe.polls()).isGreaterThan(3);
    }

    @Test
    void aNodeThatNeverCatchesUpRecordsTheTimeout() throws InterruptedException {
        long ack = System.nanoTime();
        PropagationProbe probe = new PropagationProbe(NODES, nodesUpToDateAfter(ack, Map.of(
                NODES.get(0), 0L, NODES.get(1), 0L, NODES.get(2), Long.MAX_VALUE)),
                timer, NanoClock.SYSTEM, Duration.ofMillis(2), Duration.ofMillis(50), Duration.ZERO, 1);

        probe.offer(ENTITY, 5, ack);
        probe.awaitIdle(Duration.ofSeconds(5));

        assertThat(probe.timeouts()).isEqualTo(1);
        assertThat(probe.latency().snapshot().getMaxValue()).isBetween(49_000L, 51_000L);
    }

    @Test
    void samplesAreSpacedAndCapped() {
        CompletableFuture<Long> never = new CompletableFuture<>();
        PropagationProbe probe = new PropagationProbe(NODES, (node, entity) -> never, timer, NanoClock.SYSTEM,
                Duration.ofMillis(1), Duration.ofSeconds(5), Duration.ofMillis(100), 2);
        long t = 1_000_000_000L;
        assertThat(probe.offer(ENTITY, 1, t)).isTrue();
        assertThat(probe.offer(ENTITY, 2, t + 50_000_000L)).as("within the spacing").isFalse();
        assertThat(probe.offer(ENTITY, 3, t + 100_000_000L)).isTrue();
        assertThat(probe.offer(ENTITY, 4, t + 200_000_000L)).as("two probes already running").isFalse();
    }

    @Test
    void aPausedProbeStartsNothingUntilResumed() {
        CompletableFuture<Long> never = new CompletableFuture<>();
        PropagationProbe probe = new PropagationProbe(NODES, (node, entity) -> never, timer, NanoClock.SYSTEM,
                Duration.ofMillis(1), Duration.ofSeconds(5), Duration.ZERO, 2);
        probe.pause();
        assertThat(probe.offer(ENTITY, 1, 1_000_000_000L)).isFalse();
        assertThat(probe.polls()).isZero();

        probe.resume();
        assertThat(probe.offer(ENTITY, 2, 2_000_000_000L)).isTrue();
        assertThat(probe.polls()).isEqualTo(NODES.size());
    }
}
