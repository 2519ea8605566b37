package io.cachebus.invalidator.coalescing;

import io.cachebus.events.DomainMutated;
import io.cachebus.events.Tag;
import io.cachebus.invalidator.coalescing.InvalidationGroup.CoalescedEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
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
 *
 * <p>A group whose every event wrote one entity ({@link DomainMutated#singleEntity()}) invalidates those entities
 * and the domain's collections instead of the whole domain (ADR 0017), as long as they are at most
 * {@code maxEntitiesPerGroup}: past that one bump of the domain is cheaper than a counter per entity, and keeps the
 * broadcast small. A group keeps its (tenant, domain, tags) whatever its entities.
 */
public final class EventCoalescer {

    /**
     * The most characters of entity ids one group names (a few dozen usual ids): with the ids of its events, a
     * per-group broadcast stays within its size limit even if every character had to be escaped.
     */
    static final int MAX_ENTITY_ID_CHARS_PER_GROUP = 2048;

    private static final Comparator<Tag> TAG_ORDER = Comparator.comparing(Tag::domain).thenComparing(Tag::name);

    private EventCoalescer() {
    }

    /** Groups that each invalidate their whole domain, whatever their events wrote (entity scopes off). */
    public static List<InvalidationGroup> coalesce(List<DomainMutated> events) {
        return coalesce(events, 0);
    }

    /**
     * @param maxEntitiesPerGroup how many entities a group may invalidate one by one (and at most
     *                            {@value #MAX_ENTITY_ID_CHARS_PER_GROUP} characters of their ids); 0 makes every group
     *                            invalidate its whole domain
     */
    public static List<InvalidationGroup> coalesce(List<DomainMutated> events, int maxEntitiesPerGroup) {
        if (maxEntitiesPerGroup < 0) {
            throw new IllegalArgumentException("maxEntitiesPerGroup must not be negative");
        }
        Map<GroupKey, GroupBuilder> groups = new LinkedHashMap<>();
        for (DomainMutated event : events) {
            GroupKey key = new GroupKey(event.tenant(), event.domain(), normalized(event.tags()));
            groups.computeIfAbsent(key, k -> new GroupBuilder(k, maxEntitiesPerGroup)).add(event);
        }
        return groups.values().stream().map(GroupBuilder::build).toList();
    }

    /** Distinct and sorted; most events name no tag or one, which need neither (and no stream per event). */
    private static List<Tag> normalized(List<Tag> tags) {
        return tags.size() < 2 ? tags : tags.stream().distinct().sorted(TAG_ORDER).toList();
    }

    private record GroupKey(String tenant, String domain, List<Tag> tags) {
    }

    private static final class GroupBuilder {

        private final GroupKey key;
        private final int maxEntities;
        private final Set<UUID> seen = new HashSet<>();
        private final List<CoalescedEvent> events = new ArrayList<>();
        /** The entities written so far, or {@code null} once the group invalidates its whole domain. */
        private Set<String> entities = new LinkedHashSet<>();
        private int entityChars;

        GroupBuilder(GroupKey key, int maxEntities) {
            this.key = key;
            this.maxEntities = maxEntities;
        }

        void add(DomainMutated event) {
            if (!seen.add(event.eventId())) {
                return;
            }
            events.add(new CoalescedEvent(event.eventId(), event.sequence(), event.sourceNode(), event.committedAt()));
            if (entities != null) {
                String entity = event.singleEntity().orElse(null);
                if (entity == null) {
                    entities = null;
                } else if (entities.add(entity)) {
                    entityChars += entity.length();
                    if (entities.size() > maxEntities || entityChars > MAX_ENTITY_ID_CHARS_PER_GROUP) {
                        entities = null;
                    }
                }
            }
        }

        InvalidationGroup build() {
            events.sort(Comparator.comparingLong(CoalescedEvent::sequence));
            return new InvalidationGroup(key.tenant(), key.domain(), key.tags(), events,
                    entities == null ? List.of() : List.copyOf(entities));
        }
    }
}
