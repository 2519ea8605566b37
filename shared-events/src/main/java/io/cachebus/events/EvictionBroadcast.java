package io.cachebus.events;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Sent by the invalidator after it invalidated Redis for one (tenant, domain), read by every API node,
 * which then evicts its local (L1) entries of that domain and tags.
 *
 * @param tenant        the tenant whose entries go
 * @param domain        the domain whose entries go, derived data included
 * @param tags          derived data of other domains the coalesced events named
 * @param fromSequence  the lowest {@link DomainMutated#sequence()} this broadcast covers
 * @param toSequence    the highest {@link DomainMutated#sequence()} this broadcast covers
 * @param generation    the Redis generation of the domain after the invalidation (0 when the strategy keeps none)
 * @param eventIds      the events coalesced into this broadcast (a large burst is split over several broadcasts)
 * @param invalidatorId the invalidator instance that sent it
 * @param emittedAt     when it was sent, after Redis had been invalidated
 * @param redisPending  Redis could not be invalidated yet (its breaker is open): nodes evict their L1 as usual but
 *                      must keep skipping Redis for these scopes until a broadcast of the same scopes without this
 *                      flag says the Redis work is done
 * @param entityIds     empty when the whole domain goes; otherwise only these entities and the domain's collections
 *                      go (every event was a write of one entity, ADR 0017), and {@code generation} is the
 *                      collections counter's
 */
public record EvictionBroadcast(
        String tenant,
        String domain,
        List<Tag> tags,
        long fromSequence,
        long toSequence,
        long generation,
        List<UUID> eventIds,
        String invalidatorId,
        Instant emittedAt,
        boolean redisPending,
        List<String> entityIds) implements EvictionsTopicMessage {

    public static final int MAX_EVENT_IDS = 1000;
    /** The most entities one scope names; the invalidator sends the whole domain instead long before (ADR 0017). */
    public static final int MAX_ENTITY_IDS = 1000;

    public EvictionBroadcast {
        tags = requireScope(tenant, domain, tags, fromSequence, toSequence, generation);
        eventIds = List.copyOf(Objects.requireNonNullElse(eventIds, List.of()));
        if (eventIds.size() > MAX_EVENT_IDS) {
            throw new InvalidNameException("eventIds", "more than " + MAX_EVENT_IDS + " ids");
        }
        DomainMutated.requirePrintable("invalidatorId", invalidatorId, DomainMutated.MAX_SOURCE_NODE_LENGTH);
        Objects.requireNonNull(emittedAt, "emittedAt");
        entityIds = requireEntityIds(entityIds);
    }

    /** A broadcast of a whole domain. */
    public EvictionBroadcast(String tenant, String domain, List<Tag> tags, long fromSequence, long toSequence,
            long generation, List<UUID> eventIds, String invalidatorId, Instant emittedAt, boolean redisPending) {
        this(tenant, domain, tags, fromSequence, toSequence, generation, eventIds, invalidatorId, emittedAt,
                redisPending, List.of());
    }

    /** A broadcast of a whole domain, sent after Redis was invalidated. */
    public EvictionBroadcast(String tenant, String domain, List<Tag> tags, long fromSequence, long toSequence,
            long generation, List<UUID> eventIds, String invalidatorId, Instant emittedAt) {
        this(tenant, domain, tags, fromSequence, toSequence, generation, eventIds, invalidatorId, emittedAt, false);
    }

    /**
     * The rules of a scope to evict, shared with {@link EvictionBatch.ScopeEviction}: valid names, at most
     * {@link DomainMutated#MAX_TAGS} tags, a sequence range from 1 up, a generation not below 0. Returns the tags as
     * an unmodifiable copy.
     */
    static List<Tag> requireScope(String tenant, String domain, List<Tag> tags, long fromSequence, long toSequence,
                                  long generation) {
        Names.require("tenant", tenant);
        Names.require("domain", domain);
        List<Tag> copy = List.copyOf(Objects.requireNonNullElse(tags, List.of()));
        if (copy.size() > DomainMutated.MAX_TAGS) {
            throw new InvalidNameException("tags", "more than " + DomainMutated.MAX_TAGS + " tags");
        }
        if (fromSequence < 1) {
            throw new InvalidNameException("fromSequence", "must be at least 1");
        }
        if (toSequence < fromSequence) {
            throw new InvalidNameException("toSequence", "must not be below fromSequence");
        }
        if (generation < 0) {
            throw new InvalidNameException("generation", "must not be negative");
        }
        return copy;
    }

    /** The entity ids of a scope, checked and copied: at most {@link #MAX_ENTITY_IDS}, each a valid entity id. */
    static List<String> requireEntityIds(List<String> entityIds) {
        List<String> copy = List.copyOf(Objects.requireNonNullElse(entityIds, List.of()));
        if (copy.size() > MAX_ENTITY_IDS) {
            throw new InvalidNameException("entityIds", "more than " + MAX_ENTITY_IDS + " ids");
        }
        copy.forEach(id -> CacheKeys.requireEntityId("entityIds", id));
        return copy;
    }

    /** Whether only some entities and the collections of the domain go, not the whole domain. */
    public boolean entityScoped() {
        return !entityIds.isEmpty();
    }

    public String recordKey() {
        return CacheKeys.recordKey(tenant, domain);
    }
}
