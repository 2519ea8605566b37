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

    /**
     * Whether every evictions partition carries a report that vouches for an acknowledged one reaching at least these
     * mutation-partition offsets ({@link PartitionProgress#acknowledgedThrough()}).
     */
    public static boolean vouchesFor(List<Message> messages, Map<Integer, Long> mutationOffsets) {
        Map<Integer, Map<Integer, Long>> acknowledged = new HashMap<>();
        for (Message message : messages) {
            message.progress().ifPresent(progress -> progress.partitions().forEach(partition -> acknowledged
                    .computeIfAbsent(message.partition(), p -> new HashMap<>())
                    .merge(partition.partition(), partition.acknowledgedThrough(), Math::max)));
        }
        for (int evictions = 0; evictions < KafkaBroker.EVICTION_PARTITIONS; evictions++) {
            Map<Integer, Long> seen = acknowledged.getOrDefault(evictions, Map.of());
            for (Map.Entry<Integer, Long> wanted : mutationOffsets.entrySet()) {
                if (seen.getOrDefault(wanted.getKey(), -1L) < wanted.getValue()) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * The check an API node makes (ADR 0016), on every record of the topic read from its start: per evictions
     * partition, a report's {@code acknowledgedThrough} never exceeds the highest {@code processedThrough} read before
     * it there for that mutation partition. Returns the reports that vouched for an earlier one, or the first that
     * vouched for one not read before it.
     */
    public static int vouchedReportsAllEarlierInTheirPartition(List<Message> messages) {
        Map<Integer, Map<Integer, Long>> highest = new HashMap<>();
        int vouched = 0;
        for (Message message : messages) {
            if (message.progress().isEmpty()) {
                continue;
            }
            Map<Integer, Long> seen = highest.computeIfAbsent(message.partition(), p -> new HashMap<>());
            for (PartitionProgress claim : message.progress().get().partitions()) {
                if (claim.acknowledgedThrough() > 0) {
                    if (seen.getOrDefault(claim.partition(), 0L) < claim.acknowledgedThrough()) {
                        throw new AssertionError("the report at " + message.partition() + "@" + message.offset()
                                + " vouches for " + claim + " but only " + seen.get(claim.partition())
                                + " was reported before it there");
                    }
                    vouched++;
                }
                seen.merge(claim.partition(), claim.processedThrough(), Math::max);
            }
        }
        return vouched;
    }
}
