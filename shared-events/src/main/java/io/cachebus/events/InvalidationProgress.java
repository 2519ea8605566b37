package io.cachebus.events;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A progress heartbeat of one invalidator, published on the evictions topic: for each partition of the mutation
 * topic it holds, every record below {@code processedThrough} has been invalidated and its eviction broadcasts
 * acknowledged by Kafka. The invalidator sends it to every partition of the evictions topic after those broadcasts
 * (about every 100 ms while idle, and after each batch; with the batch format the batch's {@link EvictionBatch}
 * records carry it instead, behind their own scopes), so a node that has read a heartbeat on every evictions partition has
 * also applied every broadcast it covers. That is what lets a node show that it is not behind, and read through to
 * the database when it cannot (the staleness bound, ADR 0005).
 *
 * @param invalidatorId the invalidator instance that sent it
 * @param partitions    the mutation-topic partitions it holds, with how far each is processed
 * @param emittedAt     when it was sent (informational: nodes compare offsets, never this clock)
 * @param redisPending  some of its partitions hold records whose Redis work is not done yet (Redis down): a node
 *                      that cannot tell which scopes they touched (it was reassigned, or its list of pending scopes
 *                      overflowed) keeps away from Redis until no invalidator says this any more
 */
public record InvalidationProgress(String invalidatorId, List<PartitionProgress> partitions, Instant emittedAt,
        boolean redisPending) implements EvictionsTopicMessage {

    /** More partitions than any real mutation topic has; bounds the payload. */
    public static final int MAX_PARTITIONS = 4096;

    /**
     * @param partition           a partition of the mutation topic
     * @param processedThrough    the next offset to process: every record of the partition below it is done
     * @param acknowledgedThrough the {@code processedThrough} of an earlier report of the same invalidator consumer
     *                            for this partition that Kafka acknowledged on every evictions partition before this
     *                            record was sent, so it precedes this record on each of them; 0 when there is none.
     *                            A node that has read less of this partition on an evictions partition skipped records
     *                            there (ADR 0016)
     */
    public record PartitionProgress(int partition, long processedThrough, long acknowledgedThrough) {

        public PartitionProgress {
            if (partition < 0) {
                throw new InvalidNameException("partition", "must not be negative");
            }
            if (processedThrough < 0) {
                throw new InvalidNameException("processedThrough", "must not be negative");
            }
            if (acknowledgedThrough < 0 || acknowledgedThrough > processedThrough) {
                throw new InvalidNameException("acknowledgedThrough", "must be 0 to processedThrough");
            }
        }

        /** Progress that vouches for no earlier report (the first after an assignment, or from an older release). */
        public PartitionProgress(int partition, long processedThrough) {
            this(partition, processedThrough, 0);
        }
    }

    public InvalidationProgress {
        DomainMutated.requirePrintable("invalidatorId", invalidatorId, DomainMutated.MAX_SOURCE_NODE_LENGTH);
        partitions = List.copyOf(Objects.requireNonNullElse(partitions, List.of()));
        if (partitions.size() > MAX_PARTITIONS) {
            throw new InvalidNameException("partitions", "more than " + MAX_PARTITIONS + " partitions");
        }
        Objects.requireNonNull(emittedAt, "emittedAt");
    }

    /** Progress of an invalidator with no Redis work pending. */
    public InvalidationProgress(String invalidatorId, List<PartitionProgress> partitions, Instant emittedAt) {
        this(invalidatorId, partitions, emittedAt, false);
    }
}
