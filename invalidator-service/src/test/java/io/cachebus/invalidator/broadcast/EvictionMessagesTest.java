package io.cachebus.invalidator.broadcast;

import static io.cachebus.invalidator.testing.TestEvents.mutation;
import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.events.DomainMutated;
import io.cachebus.events.EvictionBroadcast;
import io.cachebus.events.Tag;
import io.cachebus.invalidator.coalescing.EventCoalescer;
import io.cachebus.invalidator.coalescing.InvalidationGroup;
import io.cachebus.invalidator.invalidation.InvalidationResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class EvictionMessagesTest {

    private static final Tag UNREAD = new Tag("notifications", "unread-count");
    private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");

    @Test
    void aSmallGroupIsOneMessageWithEverythingTheNodesNeed() {
        DomainMutated event = mutation("t1", "workflows", 42, UNREAD);
        InvalidationResult result = invalidated(EventCoalescer.coalesce(List.of(event)).get(0), 7);

        List<EvictionBroadcast> messages = EvictionMessages.of(result, "inv-1", NOW);

        assertThat(messages).containsExactly(new EvictionBroadcast("t1", "workflows", List.of(UNREAD), 42, 42, 7,
                List.of(event.eventId()), "inv-1", NOW));
    }

    @Test
    void moreThanAThousandEventsAreSplitIntoConsecutiveNonOverlappingMessages() {
        List<DomainMutated> burst = IntStream.rangeClosed(1, 2_500).mapToObj(seq -> mutation("t1", "workflows", seq)).toList();
        InvalidationResult result = invalidated(EventCoalescer.coalesce(burst).get(0), 3);

        List<EvictionBroadcast> messages = EvictionMessages.of(result, "inv-1", NOW);

        assertThat(messages).extracting(m -> m.eventIds().size()).containsExactly(1_000, 1_000, 500);
        assertThat(messages).extracting(EvictionBroadcast::fromSequence).containsExactly(1L, 1_001L, 2_001L);
        assertThat(messages).extracting(EvictionBroadcast::toSequence).containsExactly(1_000L, 2_000L, 2_500L);
        assertThat(messages).allSatisfy(m -> assertThat(m.generation()).isEqualTo(3));
        List<UUID> ids = messages.stream().flatMap(m -> m.eventIds().stream()).toList();
        assertThat(ids).containsExactlyElementsOf(burst.stream().map(DomainMutated::eventId).toList());
    }

    private static InvalidationResult invalidated(InvalidationGroup group, long generation) {
        return new InvalidationResult(group, "generation", generation, OptionalLong.empty(), Duration.ofMillis(1));
    }
}
