package io.cachebus.invalidator.coalescing;

import io.cachebus.events.CacheKeys;
import io.cachebus.events.Tag;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The events of one poll batch that share a tenant, a domain and a set of tags: one Redis invalidation covers
 * all of them.
 *
 * @param tenant    the tenant whose entries go
 * @param domain    the domain whose entries go
 * @param tags      the tags the events named, distinct and sorted, so equal sets make equal groups
 * @param events    the coalesced events, each event id once, ordered by their writers' sequence (never empty)
 * @param entityIds empty when the whole domain goes; else every event wrote one of these entities, and only they
 *                  and the domain's collections go (ADR 0017)
 */
public record InvalidationGroup(String tenant, String domain, List<Tag> tags, List<CoalescedEvent> events,
                                List<String> entityIds) {

    /**
     * One event of a group: its id and writer (for the writer's read-your-writes markers downstream), its writer's
     * sequence (only writers before ADR 0016 number them; broadcast for nodes of those releases) and its commit time
     * (for the nodes' propagation metric).
     */
    public record CoalescedEvent(UUID eventId, long sequence, String sourceNode, Instant committedAt) {
    }

    public InvalidationGroup {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(domain, "domain");
        tags = List.copyOf(tags);
        events = List.copyOf(events);
        if (events.isEmpty()) {
            throw new IllegalArgumentException("a group has at least one event");
        }
        entityIds = List.copyOf(entityIds);
    }

    /** A group that invalidates its whole domain. */
    public InvalidationGroup(String tenant, String domain, List<Tag> tags, List<CoalescedEvent> events) {
        this(tenant, domain, tags, events, List.of());
    }

    /** Whether only some entities and the domain's collections go, not the whole domain. */
    public boolean entityScoped() {
        return !entityIds.isEmpty();
    }

    /** The domain's key prefix, {@code tenant:{tid}:{domain}:}. */
    public String prefix() {
        return CacheKeys.prefix(tenant, domain);
    }

    /** The Kafka record key of the group's (tenant, domain), {@code tenant:domain}. */
    public String recordKey() {
        return CacheKeys.recordKey(tenant, domain);
    }

    public long fromSequence() {
        return events.get(0).sequence();
    }

    public long toSequence() {
        return events.get(events.size() - 1).sequence();
    }

    public List<UUID> eventIds() {
        return events.stream().map(CoalescedEvent::eventId).toList();
    }

    public int eventCount() {
        return events.size();
    }
}
