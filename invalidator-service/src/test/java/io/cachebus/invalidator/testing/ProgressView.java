package io.cachebus.invalidator.testing;

import io.cachebus.events.InvalidationProgress;
import io.cachebus.events.InvalidationProgress.PartitionProgress;
import io.cachebus.invalidator.testing.KafkaTestClient.Message;
import io.cachebus.local.kafka.KafkaBroker;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** What the progress heartbeats read from the evictions topic say, as an API node would combine them. */
public final class ProgressView {

    private ProgressView() {
    }

    /**
     * Per evictions partition, per mutation partition: the highest {@code processedThrough} of the heartbeats that
     * pass the filter.
     */
    public static Map<Integer, Map<Integer, Long>> highest(List<Message> messages, Predicate<InvalidationProgress> filter) {
        Map<Integer, Map<Integer, Long>> highest = new HashMap<>();
        for (Message message : messages) {
            message.progress().filter(filter).ifPresent(progress -> {
                Map<Integer, Long> ofPartition = highest.computeIfAbsent(message.partition(), p -> new HashMap<>());
                for (PartitionProgress partition : progress.partitions()) {
                    ofPartition.merge(partition.partition(), partition.processedThrough(), Math::max);
                }
            });
        }
        return highest;
    }

    /** Whether every evictions partition carries heartbeats reaching at least these mutation-partition offsets. */
    public static boolean covers(List<Message> messages, Map<Integer, Long> mutationOffsets) {
        Map<Integer, Map<Integer, Long>> highest = highest(messages, progress -> true);
        for (int evictions = 0; evictions < KafkaBroker.EVICTION_PARTITIONS; evictions++) {
            Map<Integer, Long> seen = highest.getOrDefault(evictions, Map.of());
            for (Map.Entry<Integer, Long> wanted : mutationOffsets.entrySet()) {
                if (seen.getOrDefault(wanted.getKey(), -1L) < wanted.getValue()) {
                    return false;
                }
            }
        }
        return true;
    }
}
