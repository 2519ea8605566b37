package io.cachebus.events;

import io.cachebus.events.InvalidationProgress.PartitionProgress;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The compact broadcast (ADR 0014): what one invalidator's poll batch invalidated, for the scopes whose record key
 * ({@code tenant:domain}) falls on one evictions partition, together with its progress. One record per evictions
 * partition per batch replaces one {@link EvictionBroadcast} per coalesced group and the progress heartbeat that
 * followed them: a node applies the scopes, then reads {@link #partitions()} as the heartbeat
 * ({@link #asProgress()}), which therefore never runs ahead of the evictions it covers.
 *
 * @param invalidatorId  the invalidator instance that sent it
 * @param partitions     per mutation partition the invalidator holds, the offset below which every record is
 *                       invalidated and broadcast; empty on a record that is not the last of its batch on its
 *                       evictions partition (a batch too large for one record), so no claim precedes its scopes
 * @param scopes         the scopes to evict, in the order they must be applied
 * @param committedRange when the oldest and the newest mutation it covers were committed (absent without scopes)
 * @param emittedAt      when it was sent (informational: nodes compare offsets, never this clock)
 * @param redisPending   the heartbeat's flag: some Redis work of this invalidator is not done yet (see
 *                       {@link InvalidationProgress#redisPending()})
 */
public record EvictionBatch(
        String invalidatorId,
        List<PartitionProgress> partitions,
        List<ScopeEviction> scopes,
        Optional<CommittedRange> committedRange,
        Instant emittedAt,
        boolean redisPending) implements EvictionsTopicMessage {

    /** Bounds the work one record can make a node do; larger batches are split over several records. */
    public static final int MAX_SCOPES = 1000;

    public EvictionBatch {
        DomainMutated.requirePrintable("invalidatorId", invalidatorId, DomainMutated.MAX_SOURCE_NODE_LENGTH);
        partitions = List.copyOf(Objects.requireNonNullElse(partitions, List.of()));
        if (partitions.size() > InvalidationProgress.MAX_PARTITIONS) {
            throw new InvalidNameException("partitions", "more than " + InvalidationProgress.MAX_PARTITIONS
                    + " partitions");
        }
        scopes = List.copyOf(Objects.requireNonNullElse(scopes, List.of()));
        if (scopes.size() > MAX_SCOPES) {
            throw new InvalidNameException("scopes", "more than " + MAX_SCOPES + " scopes");
        }
        Objects.requireNonNull(committedRange, "committedRange");
        if (scopes.isEmpty() != committedRange.isEmpty()) {
            throw new InvalidNameException("committedRange", "present exactly when there are scopes");
        }
        Objects.requireNonNull(emittedAt, "emittedAt");
    }

    /** The progress this record carries, as the heartbeat it replaces. */
    public InvalidationProgress asProgress() {
        return new InvalidationProgress(invalidatorId, partitions, emittedAt, redisPending);
    }

    /** The oldest and the newest commit time of the mutations a record covers. */
    public record CommittedRange(Instant oldest, Instant newest) {

        public CommittedRange {
            Objects.requireNonNull(oldest, "oldest");
            Objects.requireNonNull(newest, "newest");
            if (newest.isBefore(oldest)) {
                throw new InvalidNameException("newestCommittedAt", "must not be before oldestCommittedAt");
            }
        }
    }

    /**
     * One coalesced group (or, for a group of more than {@link EvictionBroadcast#MAX_EVENT_IDS} events, a consecutive
     * part of it): the fields of an {@link EvictionBroadcast} that vary per scope.
     *
     * @param events       how many mutations it covers
     * @param eventIdsByWriter the ids of those mutations, per writing node ({@link DomainMutated#sourceNode()}): only
     *                     the writer clears its read-your-writes marks with them, so each node looks up its own
     * @param entityIds    as in {@link EvictionBroadcast#entityIds()}: empty for the whole domain, else the entities
     *                     that go with the domain's collections, whose counter {@code generation} is then
     */
    public record ScopeEviction(
            String tenant,
            String domain,
            List<Tag> tags,
            long fromSequence,
            long toSequence,
            long generation,
            int events,
            Map<String, List<UUID>> eventIdsByWriter,
            boolean redisPending,
            List<String> entityIds) {

        public ScopeEviction {
            tags = EvictionBroadcast.requireScope(tenant, domain, tags, fromSequence, toSequence, generation);
            if (events < 1 || events > EvictionBroadcast.MAX_EVENT_IDS) {
                throw new InvalidNameException("events", "must be 1 to " + EvictionBroadcast.MAX_EVENT_IDS);
            }
            Map<String, List<UUID>> copy = new LinkedHashMap<>();
            int ids = 0;
            for (Map.Entry<String, List<UUID>> writer : Objects.requireNonNullElse(eventIdsByWriter,
                    Map.<String, List<UUID>>of()).entrySet()) {
                DomainMutated.requirePrintable("eventIdsByWriter", writer.getKey(), DomainMutated.MAX_SOURCE_NODE_LENGTH);
                List<UUID> writerIds = List.copyOf(writer.getValue());
                ids += writerIds.size();
                copy.put(writer.getKey(), writerIds);
            }
            if (ids > events) {
                throw new InvalidNameException("eventIdsByWriter", "more ids than events");
            }
            eventIdsByWriter = Collections.unmodifiableMap(copy);
            entityIds = EvictionBroadcast.requireEntityIds(entityIds);
        }

        /** A scope of a whole domain. */
        public ScopeEviction(String tenant, String domain, List<Tag> tags, long fromSequence, long toSequence,
                long generation, int events, Map<String, List<UUID>> eventIdsByWriter, boolean redisPending) {
            this(tenant, domain, tags, fromSequence, toSequence, generation, events, eventIdsByWriter, redisPending,
                    List.of());
        }

        /** Whether only some entities and the collections of the domain go, not the whole domain. */
        public boolean entityScoped() {
            return !entityIds.isEmpty();
        }

        /** The ids of the mutations {@code node} wrote among those this scope covers. */
        public List<UUID> eventIdsWrittenBy(String node) {
            return eventIdsByWriter.getOrDefault(node, List.of());
        }

        public String recordKey() {
            return CacheKeys.recordKey(tenant, domain);
        }
    }
}
