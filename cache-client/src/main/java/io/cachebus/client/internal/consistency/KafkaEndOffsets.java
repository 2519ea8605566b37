package io.cachebus.client.internal.consistency;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * The mutation topic's end offsets, read by a consumer of its own that joins no group and reads no record (its
 * partitions are assigned, never polled). Used only from the probe's thread (a Kafka consumer is not thread-safe).
 */
public final class KafkaEndOffsets implements FreshnessProbe.EndOffsets, AutoCloseable {

    private static final Duration PARTITIONS_REFRESH = Duration.ofSeconds(30);

    private final Consumer<?, ?> consumer;
    private final String topic;
    private final Duration timeout;
    private List<TopicPartition> partitions = List.of();
    private long partitionsReadAt;

    public KafkaEndOffsets(Consumer<?, ?> consumer, String topic, Duration timeout) {
        this.consumer = consumer;
        this.topic = topic;
        this.timeout = timeout;
    }

    @Override
    public long[] read() {
        long now = System.nanoTime();
        if (partitions.isEmpty() || now - partitionsReadAt > PARTITIONS_REFRESH.toNanos()) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
            if (infos == null || infos.isEmpty()) {
                throw new TimeoutException("topic " + topic + " has no partitions (yet)");
            }
            partitions = infos.stream().map(info -> new TopicPartition(topic, info.partition()))
                    .sorted(java.util.Comparator.comparingInt(TopicPartition::partition)).toList();
            // assigned, never polled: the client logs a warning for every end offset of a partition it does not hold
            consumer.assign(partitions);
            partitionsReadAt = now;
        }
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
        long[] offsets = new long[partitions.size()];
        for (TopicPartition partition : partitions) {
            Long end = ends.get(partition);
            if (end == null) {
                throw new TimeoutException("no end offset for " + partition);
            }
            offsets[partition.partition()] = end;
        }
        return offsets;
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(1));
    }
}
