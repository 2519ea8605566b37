package io.cachebus.loadtest.invalidation;

import io.cachebus.events.Topics;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The invalidator group's progress on the mutation topic, read through Kafka's Admin API: the topic's end offsets and
 * the offsets the group committed. The invalidator commits a batch only after its Redis invalidation and broadcast
 * succeeded, so committed offsets count events worked off, whatever the harness itself observes.
 */
final class GroupOffsets implements AutoCloseable {

    private final Admin admin;
    private final String group;

    GroupOffsets(String bootstrapServers, String group) {
        this.admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000));
        this.group = group;
    }

    List<TopicPartition> partitions() {
        try {
            return admin.describeTopics(List.of(Topics.DOMAIN_MUTATED)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(Topics.DOMAIN_MUTATED).partitions().stream()
                    .map(info -> new TopicPartition(Topics.DOMAIN_MUTATED, info.partition()))
                    .toList();
        } catch (Exception e) {
            throw new IllegalStateException("could not describe " + Topics.DOMAIN_MUTATED, e);
        }
    }

    Map<TopicPartition, Long> endOffsets() {
        try {
            return admin.listOffsets(partitions().stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
                    .all().get(30, TimeUnit.SECONDS).entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        } catch (Exception e) {
            throw new IllegalStateException("could not read the end offsets of " + Topics.DOMAIN_MUTATED, e);
        }
    }

    Map<TopicPartition, Long> committed() {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            return offsets.entrySet().stream()
                    .filter(e -> e.getKey().topic().equals(Topics.DOMAIN_MUTATED) && e.getValue() != null)
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        } catch (Exception e) {
            throw new IllegalStateException("could not read the offsets of group " + group, e);
        }
    }

    /** Events between the group's committed offsets and {@code end}; a partition never committed counts from 0. */
    long remaining(Map<TopicPartition, Long> end) {
        return remaining(end, committed());
    }

    static long remaining(Map<TopicPartition, Long> end, Map<TopicPartition, Long> committed) {
        return end.entrySet().stream()
                .mapToLong(e -> Math.max(0, e.getValue() - committed.getOrDefault(e.getKey(), 0L)))
                .sum();
    }

    @Override
    public void close() {
        admin.close();
    }
}
