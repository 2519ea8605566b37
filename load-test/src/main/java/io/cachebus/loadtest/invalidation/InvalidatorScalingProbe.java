package io.cachebus.loadtest.invalidation;

import io.cachebus.events.Topics;
import io.cachebus.loadtest.deployment.InvalidatorControl;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
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
        try (Admin admin = admin()) {
            return admin.describeTopics(List.of(Topics.DOMAIN_MUTATED)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(Topics.DOMAIN_MUTATED).partitions().size();
        } catch (Exception e) {
            throw new IllegalStateException("could not describe " + Topics.DOMAIN_MUTATED, e);
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
        try (Admin admin = admin()) {
            control.stopAll();
            try {
                control.start(instances);
                control.pause();
                MutationBacklog.produce(bootstrapServers, events, MutationBacklog.scopes("ltscale" + run, scopes));
                Map<TopicPartition, Long> end = endOffsets(admin);
                long backlog = remaining(end, committed(admin));
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
                    left = remaining(end, committed(admin));
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

    /** Events between the group's committed offsets and the topic's end; a partition never committed counts from 0. */
    private static long remaining(Map<TopicPartition, Long> end, Map<TopicPartition, Long> committed) {
        return end.entrySet().stream()
                .mapToLong(e -> Math.max(0, e.getValue() - committed.getOrDefault(e.getKey(), 0L)))
                .sum();
    }

    private Map<TopicPartition, Long> endOffsets(Admin admin) {
        try {
            List<TopicPartition> partitions = admin.describeTopics(List.of(Topics.DOMAIN_MUTATED)).allTopicNames()
                    .get(30, TimeUnit.SECONDS).get(Topics.DOMAIN_MUTATED).partitions().stream()
                    .map(info -> new TopicPartition(Topics.DOMAIN_MUTATED, info.partition()))
                    .toList();
            return admin.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
                    .all().get(30, TimeUnit.SECONDS).entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        } catch (Exception e) {
            throw new IllegalStateException("could not read the end offsets of " + Topics.DOMAIN_MUTATED, e);
        }
    }

    private Map<TopicPartition, Long> committed(Admin admin) {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(control.consumerGroup())
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            return offsets.entrySet().stream()
                    .filter(e -> e.getKey().topic().equals(Topics.DOMAIN_MUTATED) && e.getValue() != null)
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        } catch (Exception e) {
            throw new IllegalStateException("could not read the offsets of group " + control.consumerGroup(), e);
        }
    }

    private Admin admin() {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000));
    }
}
