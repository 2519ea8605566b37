package io.cachebus.invalidator.coalescing;

import io.cachebus.events.DomainMutated;
import io.cachebus.events.Tag;
import io.cachebus.invalidator.coalescing.InvalidationGroup.CoalescedEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Folds the events of one poll batch into {@link InvalidationGroup}s by (tenant, domain, tags), so a burst of
 * writes to one tenant's domain costs one Redis invalidation and one broadcast instead of one per write.
 *
 * <p>Groups come out in the order their first event appeared in the batch; within a group, an event delivered twice
 * (at-least-once upstream) counts once, and events are ordered by their writers' sequence: 1 from every writer since
 * ADR 0016 (a stable sort keeps their record order), numbers from writers of earlier releases, whose ranges nodes of
 * those releases still check.
 */
public final class EventCoalescer {

    private static final Comparator<Tag> TAG_ORDER = Comparator.comparing(Tag::domain).thenComparing(Tag::name);

    private EventCoalescer() {
    }

    public static List<InvalidationGroup> coalesce(List<DomainMutated> events) {
        Map<GroupKey, GroupBuilder> groups = new LinkedHashMap<>();
        for (DomainMutated event : events) {
            GroupKey key = new GroupKey(event.tenant(), event.domain(), normalized(event.tags()));
            groups.computeIfAbsent(key, GroupBuilder::new).add(event);
        }
        return groups.values().stream().map(GroupBuilder::build).toList();
    }

    private static List<Tag> normalized(List<Tag> tags) {
        return tags.stream().distinct().sorted(TAG_ORDER).toList();
    }

    private record GroupKey(String tenant, String domain, List<Tag> tags) {
    }

    private static final class GroupBuilder {

        private final GroupKey key;
        private final Set<UUID> seen = new HashSet<>();
        private final List<CoalescedEvent> events = new ArrayList<>();

        GroupBuilder(GroupKey key) {
            this.key = key;
        }

        void add(DomainMutated event) {
            if (seen.add(event.eventId())) {
                events.add(new CoalescedEvent(event.eventId(), event.sequence(), event.sourceNode(), event.committedAt()));
            }
        }

        InvalidationGroup build() {
            events.sort(Comparator.comparingLong(CoalescedEvent::sequence));
            return new InvalidationGroup(key.tenant(), key.domain(), key.tags(), events);
        }
    }
}
