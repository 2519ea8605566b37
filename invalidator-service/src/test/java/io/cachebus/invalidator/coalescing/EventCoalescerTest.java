package io.cachebus.invalidator.coalescing;

import static io.cachebus.invalidator.testing.TestEvents.entityWrite;
import static io.cachebus.invalidator.testing.TestEvents.mutation;
import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.events.DomainMutated;
import io.cachebus.events.Operation;
import io.cachebus.events.Tag;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class EventCoalescerTest {

    private static final Tag STEPS = new Tag("workflows", "steps");
    private static final Tag UNREAD = new Tag("notifications", "unread-count");

    @Test
    void aBurstForOneTenantAndDomainBecomesOneGroupWithEveryEventAndTheSequenceRange() {
        List<DomainMutated> burst = IntStream.rangeClosed(1, 500).mapToObj(seq -> mutation("t1", "workflows", seq)).toList();

        List<InvalidationGroup> groups = EventCoalescer.coalesce(burst);

        assertThat(groups).hasSize(1);
        InvalidationGroup group = groups.get(0);
        assertThat(group.tenant()).isEqualTo("t1");
        assertThat(group.domain()).isEqualTo("workflows");
        assertThat(group.tags()).isEmpty();
        assertThat(group.eventIds()).containsExactlyElementsOf(burst.stream().map(DomainMutated::eventId).toList());
        assertThat(group.fromSequence()).isEqualTo(1);
        assertThat(group.toSequence()).isEqualTo(500);
        assertThat(group.prefix()).isEqualTo("tenant:t1:workflows:");
    }

    @Test
    void groupsAreKeyedByTenantDomainAndTagsInOrderOfFirstAppearance() {
        DomainMutated t1Workflows = mutation("t1", "workflows", 1);
        DomainMutated t10Workflows = mutation("t10", "workflows", 1);
        DomainMutated t1Notifications = mutation("t1", "notifications", 7, UNREAD);
        DomainMutated t1WorkflowsAgain = mutation("t1", "workflows", 2);
        DomainMutated t1WorkflowsWithSteps = mutation("t1", "workflows", 3, STEPS);

        List<InvalidationGroup> groups = EventCoalescer.coalesce(
                List.of(t1Workflows, t10Workflows, t1Notifications, t1WorkflowsAgain, t1WorkflowsWithSteps));

        assertThat(groups).extracting(InvalidationGroup::tenant, InvalidationGroup::domain, InvalidationGroup::tags)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("t1", "workflows", List.of()),
                        org.assertj.core.groups.Tuple.tuple("t10", "workflows", List.of()),
                        org.assertj.core.groups.Tuple.tuple("t1", "notifications", List.of(UNREAD)),
                        org.assertj.core.groups.Tuple.tuple("t1", "workflows", List.of(STEPS)));
        assertThat(groups.get(0).eventIds()).containsExactly(t1Workflows.eventId(), t1WorkflowsAgain.eventId());
        assertThat(groups.get(0).fromSequence()).isEqualTo(1);
        assertThat(groups.get(0).toSequence()).isEqualTo(2);
        assertThat(groups.get(2).fromSequence()).isEqualTo(7);
        assertThat(groups.get(3).eventIds()).containsExactly(t1WorkflowsWithSteps.eventId());
    }

    @Test
    void theOrderAndRepetitionOfTagsDoNotSplitAGroup() {
        DomainMutated a = mutation("t1", "workflows", 1, STEPS, UNREAD);
        DomainMutated b = mutation("t1", "workflows", 2, UNREAD, STEPS, UNREAD);

        List<InvalidationGroup> groups = EventCoalescer.coalesce(List.of(a, b));

        assertThat(groups).hasSize(1);
        assertThat(groups.get(0).tags()).containsExactly(UNREAD, STEPS);
        assertThat(groups.get(0).eventCount()).isEqualTo(2);
    }

    @Test
    void anEventDeliveredTwiceCountsOnceAndEventsAreOrderedBySequence() {
        UUID redelivered = UUID.randomUUID();
        DomainMutated third = mutation("t1", "workflows", 3);
        DomainMutated first = mutation(redelivered, "t1", "workflows", 1);
        DomainMutated second = mutation("t1", "workflows", 2);

        List<InvalidationGroup> groups = EventCoalescer.coalesce(List.of(third, first, second, first));

        assertThat(groups).hasSize(1);
        assertThat(groups.get(0).eventIds()).containsExactly(redelivered, second.eventId(), third.eventId());
        assertThat(groups.get(0).fromSequence()).isEqualTo(1);
        assertThat(groups.get(0).toSequence()).isEqualTo(3);
    }

    @Test
    void noEventsNoGroups() {
        assertThat(EventCoalescer.coalesce(List.of())).isEmpty();
    }

    @Test
    void writesOfSingleEntitiesMakeAGroupOfThoseEntitiesEachOnce() {
        List<InvalidationGroup> groups = EventCoalescer.coalesce(List.of(
                entityWrite("t1", "workflows", 1, "w7"), entityWrite("t1", "workflows", 2, "w3"),
                entityWrite("t1", "workflows", 3, "w7")), 100);

        assertThat(groups).hasSize(1);
        assertThat(groups.get(0).entityScoped()).isTrue();
        assertThat(groups.get(0).entityIds()).containsExactly("w7", "w3");
        assertThat(groups.get(0).fromSequence()).isEqualTo(1);
        assertThat(groups.get(0).toSequence()).isEqualTo(3);
    }

    @Test
    void oneWriteOfTheWholeDomainMakesTheGroupInvalidateTheWholeDomain() {
        DomainMutated bulk = new DomainMutated(UUID.randomUUID(), "t1", "notifications", Operation.BULK_PATCH,
                Optional.of("n1"), List.of(UNREAD), Instant.now(), "test-node", 2);

        assertThat(EventCoalescer.coalesce(List.of(entityWrite("t1", "workflows", 1, "w1"),
                mutation("t1", "workflows", 2)), 100).get(0).entityIds()).as("no entity id").isEmpty();
        assertThat(EventCoalescer.coalesce(List.of(entityWrite("t1", "notifications", 1, "n1", UNREAD), bulk), 100)
                .get(0).entityIds()).as("an operation that may touch many").isEmpty();
    }

    @Test
    void moreEntitiesThanTheBoundOrEntityScopesOffInvalidateTheWholeDomain() {
        List<DomainMutated> writes = IntStream.rangeClosed(1, 4)
                .mapToObj(seq -> entityWrite("t1", "workflows", seq, "w" + seq)).toList();

        assertThat(EventCoalescer.coalesce(writes, 4).get(0).entityIds()).hasSize(4);
        assertThat(EventCoalescer.coalesce(writes, 3).get(0).entityIds()).isEmpty();
        assertThat(EventCoalescer.coalesce(writes, 0).get(0).entityIds()).isEmpty();
        assertThat(EventCoalescer.coalesce(writes).get(0).entityIds()).isEmpty();
        List<DomainMutated> longIds = IntStream.rangeClosed(1, 20)
                .mapToObj(seq -> entityWrite("t1", "workflows", seq, "x".repeat(120) + seq)).toList();
        assertThat(EventCoalescer.coalesce(longIds, 100).get(0).entityIds())
                .as("more characters of ids than a broadcast is sure to hold").isEmpty();
    }
}
