package io.cachebus.invalidator.broadcast;

import io.cachebus.events.EvictionBroadcast;
import io.cachebus.invalidator.coalescing.InvalidationGroup;
import io.cachebus.invalidator.coalescing.InvalidationGroup.CoalescedEvent;
import io.cachebus.invalidator.invalidation.InvalidationResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns an invalidation into its broadcast messages: one per {@value EvictionBroadcast#MAX_EVENT_IDS} events,
 * each carrying the range of its own events' writer sequences. The group's events are ordered by them, so the
 * messages of one group cover consecutive, non-overlapping ranges and a node of a release before ADR 0016, which
 * still checks them, sees no false gap.
 */
public final class EvictionMessages {

    private EvictionMessages() {
    }

    public static List<EvictionBroadcast> of(InvalidationResult invalidation, String invalidatorId, Instant emittedAt) {
        return of(invalidation.group(), invalidation.generation(), invalidatorId, emittedAt, false);
    }

    /**
     * The broadcasts of a group whose Redis invalidation could not be done yet: generation 0 (there is no new one)
     * and {@code redisPending}, so nodes evict their L1 and keep skipping Redis for these scopes.
     */
    public static List<EvictionBroadcast> redisPending(InvalidationGroup group, String invalidatorId, Instant emittedAt) {
        return of(group, 0, invalidatorId, emittedAt, true);
    }

    private static List<EvictionBroadcast> of(InvalidationGroup group, long generation, String invalidatorId,
                                              Instant emittedAt, boolean redisPending) {
        List<CoalescedEvent> events = group.events();
        List<EvictionBroadcast> messages = new ArrayList<>(events.size() / EvictionBroadcast.MAX_EVENT_IDS + 1);
        for (int from = 0; from < events.size(); from += EvictionBroadcast.MAX_EVENT_IDS) {
            List<CoalescedEvent> chunk = events.subList(from, Math.min(events.size(), from + EvictionBroadcast.MAX_EVENT_IDS));
            messages.add(new EvictionBroadcast(
                    group.tenant(),
                    group.domain(),
                    group.tags(),
                    chunk.get(0).sequence(),
                    chunk.get(chunk.size() - 1).sequence(),
                    generation,
                    chunk.stream().map(CoalescedEvent::eventId).toList(),
                    invalidatorId,
                    emittedAt,
                    redisPending,
                    group.entityIds()));
        }
        return messages;
    }
}
