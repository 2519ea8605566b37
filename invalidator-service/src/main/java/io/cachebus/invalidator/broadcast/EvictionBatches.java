package io.cachebus.invalidator.broadcast;

import io.cachebus.events.EvictionBatch;
import io.cachebus.events.EvictionBatch.CommittedRange;
import io.cachebus.events.EvictionBatch.ScopeEviction;
import io.cachebus.events.EvictionBroadcast;
import io.cachebus.events.InvalidationProgress.PartitionProgress;
import io.cachebus.events.Tag;
import io.cachebus.invalidator.coalescing.InvalidationGroup;
import io.cachebus.invalidator.coalescing.InvalidationGroup.CoalescedEvent;
import io.cachebus.invalidator.invalidation.InvalidationResult;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.common.utils.Utils;

/**
 * Turns a batch's invalidations into its compact broadcast (ADR 0014): per evictions partition, the scopes whose
 * record key ({@code tenant:domain}) Kafka's default partitioner puts there, so a domain's evictions stay on the
 * partition its per-group broadcasts used (and keep their order across formats and invalidators), followed by the
 * batch's progress.
 *
 * <p>Every evictions partition gets at least one record, since its progress is what nodes wait for; the partitions
 * with scopes come first, each partition's records in their order. A group of more
 * than {@value EvictionBroadcast#MAX_EVENT_IDS} events becomes several scopes with consecutive ranges of writer
 * sequences (for nodes before ADR 0016), as per-group broadcasts split it; a partition whose scopes do not fit one record gets several, and only the last one
 * carries the progress, so no claim precedes the scopes it covers.
 */
public final class EvictionBatches {

    /** Records stay far below {@code EventCodec.MAX_EVICTION_BATCH_BYTES}; this is an estimate of the JSON size. */
    static final int TARGET_BYTES = 192 * 1024;
    static final int TARGET_SCOPES = 500;

    /** A record and the evictions partition it goes to. */
    public record Addressed(int partition, EvictionBatch batch) {
    }

    private EvictionBatches() {
    }

    /**
     * @param evictionPartitions how many partitions the evictions topic has
     * @param progress           the batch's progress, which every partition's last record carries
     * @param redisPending       the progress's flag: Redis work of this invalidator is outstanding
     */
    public static List<Addressed> of(List<InvalidationResult> invalidated, List<InvalidationGroup> pending,
                                     List<PartitionProgress> progress, boolean redisPending, String invalidatorId,
                                     Instant emittedAt, int evictionPartitions) {
        List<List<Piece>> byPartition = new ArrayList<>(evictionPartitions);
        for (int p = 0; p < evictionPartitions; p++) {
            byPartition.add(new ArrayList<>());
        }
        invalidated.forEach(result -> addPieces(byPartition, result.group(), result.generation(), false));
        pending.forEach(group -> addPieces(byPartition, group, 0, true));
        List<Addressed> withScopes = new ArrayList<>();
        List<Addressed> progressOnly = new ArrayList<>();
        for (int partition = 0; partition < evictionPartitions; partition++) {
            List<List<Piece>> chunks = chunks(byPartition.get(partition));
            List<Addressed> records = byPartition.get(partition).isEmpty() ? progressOnly : withScopes;
            for (int i = 0; i < chunks.size(); i++) {
                boolean last = i == chunks.size() - 1;
                records.add(new Addressed(partition, batch(chunks.get(i), last ? progress : List.of(), redisPending,
                        invalidatorId, emittedAt)));
            }
        }
        // the evictions leave first: with no linger the producer sends the first record at once and the rest in the
        // next request, and a node's fetch that returns with the first comes back for the rest a round trip later
        withScopes.addAll(progressOnly);
        return withScopes;
    }

    /** Where Kafka's default partitioner puts a record with this key (murmur2 of its UTF-8 bytes). */
    public static int partitionOf(String recordKey, int partitions) {
        return Utils.toPositive(Utils.murmur2(recordKey.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    private static void addPieces(List<List<Piece>> byPartition, InvalidationGroup group, long generation,
                                  boolean redisPending) {
        List<Piece> target = byPartition.get(partitionOf(group.recordKey(), byPartition.size()));
        List<CoalescedEvent> events = group.events();
        for (int from = 0; from < events.size(); from += EvictionBroadcast.MAX_EVENT_IDS) {
            target.add(new Piece(group, events.subList(from, Math.min(events.size(), from + EvictionBroadcast.MAX_EVENT_IDS)),
                    generation, redisPending));
        }
    }

    /** At least one chunk (possibly empty), each within the target size. */
    private static List<List<Piece>> chunks(List<Piece> pieces) {
        List<List<Piece>> chunks = new ArrayList<>();
        List<Piece> current = new ArrayList<>();
        int bytes = 0;
        for (Piece piece : pieces) {
            int size = piece.estimatedBytes();
            if (!current.isEmpty() && (current.size() == TARGET_SCOPES || bytes + size > TARGET_BYTES)) {
                chunks.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(piece);
            bytes += size;
        }
        chunks.add(current);
        return chunks;
    }

    private static EvictionBatch batch(List<Piece> pieces, List<PartitionProgress> progress, boolean redisPending,
                                       String invalidatorId, Instant emittedAt) {
        List<ScopeEviction> scopes = new ArrayList<>(pieces.size());
        Instant oldest = null;
        Instant newest = null;
        for (Piece piece : pieces) {
            scopes.add(piece.scope());
            for (CoalescedEvent event : piece.events) {
                oldest = oldest == null || event.committedAt().isBefore(oldest) ? event.committedAt() : oldest;
                newest = newest == null || event.committedAt().isAfter(newest) ? event.committedAt() : newest;
            }
        }
        return new EvictionBatch(invalidatorId, progress, scopes,
                oldest == null ? Optional.empty() : Optional.of(new CommittedRange(oldest, newest)),
                emittedAt, redisPending);
    }

    /** Up to {@value EvictionBroadcast#MAX_EVENT_IDS} consecutive events of a group: one scope of a record. */
    private record Piece(InvalidationGroup group, List<CoalescedEvent> events, long generation, boolean redisPending) {

        ScopeEviction scope() {
            Map<String, List<UUID>> idsByWriter = new LinkedHashMap<>();
            for (CoalescedEvent event : events) {
                idsByWriter.computeIfAbsent(event.sourceNode(), writer -> new ArrayList<>()).add(event.eventId());
            }
            return new ScopeEviction(group.tenant(), group.domain(), group.tags(), events.get(0).sequence(),
                    events.get(events.size() - 1).sequence(), generation, events.size(), idsByWriter, redisPending,
                    group.entityIds());
        }

        /**
         * Generous: names, tags, sequences, 39 bytes per id plus the writer's name per id at worst, and each entity id
         * as if every character were escaped.
         */
        int estimatedBytes() {
            int bytes = 200 + group.tenant().length() + group.domain().length();
            for (Tag tag : group.tags()) {
                bytes += tag.domain().length() + tag.name().length() + 4;
            }
            for (CoalescedEvent event : events) {
                bytes += 39 + Math.min(event.sourceNode().length() + 6, 140);
            }
            for (String id : group.entityIds()) {
                bytes += 6 * id.length() + 3;
            }
            return bytes;
        }
    }
}
