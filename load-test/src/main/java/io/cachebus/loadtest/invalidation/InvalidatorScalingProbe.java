package io.cachebus.loadtest.invalidation;

import io.cachebus.loadtest.deployment.InvalidatorControl;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.TopicPartition;

/**
 * How the invalidator group's throughput grows with its instances: the same backlog worked off by one instance and
 * by several, measured the same way, so the two figures compare.
 *
 * <p>For each instance count: every instance is stopped, the first {@code n} are started and wait until they share
 * all partitions, their consumers are paused, the backlog is produced, and the clock starts when they are let go.
 * It stops when the group's committed offsets reach the end of the mutation topic (the invalidator commits a batch
 * only after its invalidation and broadcast succeeded). Start-up and rebalancing are therefore outside the window,
 * and so is the harness's own producing.
 */
public final class InvalidatorScalingProbe {

    /**
     * @param instances       instances sharing the work
     * @param events          events worked off inside the window
     * @param eventsPerSecond events per second
     */
    public record Run(int instances, long events, double eventsPerSecond) {
    }

    private static final Duration POLL = Duration.ofMillis(20);

    private final String bootstrapServers;
    private final InvalidatorControl control;

    public InvalidatorScalingProbe(String bootstrapServers, InvalidatorControl control) {
        this.bootstrapServers = bootstrapServers;
        this.control = control;
    }

    /** The partitions of the mutation topic: the most consumers that can share the work. */
    public int mutationPartitions() {
        try (GroupOffsets offsets = new GroupOffsets(bootstrapServers, control.consumerGroup())) {
            return offsets.partitions().size();
        }
    }

    /**
     * @param instances how many instances work the backlog
     * @param events    events in the backlog
     * @param scopes    distinct (tenant, domain) pairs they are spread over, round-robin (so every partition gets some)
     * @param timeout   how long the instances may take
     */
    public Run run(int instances, int events, int scopes, Duration timeout) {
        String run = UUID.randomUUID().toString().substring(0, 8);
        try (GroupOffsets offsets = new GroupOffsets(bootstrapServers, control.consumerGroup())) {
            control.stopAll();
            try {
                control.start(instances);
                control.pause();
                MutationBacklog.produce(bootstrapServers, events, MutationBacklog.scopes("ltscale" + run, scopes));
                Map<TopicPartition, Long> end = offsets.endOffsets();
                long backlog = offsets.remaining(end);
                long started = System.nanoTime();
                control.resume();
                long deadline = started + timeout.toNanos();
                long left = backlog;
                while (left > 0) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(instances + " invalidator(s) left " + left + " of " + backlog
                                + " events after " + timeout);
                    }
                    Thread.sleep(POLL.toMillis());
                    left = offsets.remaining(end);
                }
                double seconds = (System.nanoTime() - started) / 1e9;
                return new Run(instances, backlog, backlog / seconds);
            } finally {
                control.resume();
                control.startAll();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while measuring " + instances + " invalidator(s)", e);
        }
    }
}
