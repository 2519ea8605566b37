package io.cachebus.client.internal.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.cachebus.client.testsupport.Node;
import io.cachebus.client.testsupport.TopicReader;
import io.cachebus.events.DomainMutated;
import io.cachebus.events.Operation;
import io.cachebus.events.Tag;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The outbox's behaviour, run against each database it supports. */
abstract class OutboxScenarios {

    static final Duration ARRIVAL = Duration.ofSeconds(30);

    abstract Node node();

    abstract String kafkaBootstrapServers();

    @Test
    void committedMutationsArriveOnTheTopicInOrderWithGapFreeSequencesPerTenantAndDomain() {
        String tenant = newTenant();
        List<DomainMutated> recorded = new ArrayList<>();
        recorded.add(commit(tenant, "workflows", Operation.CREATE, "w1"));
        recorded.add(commit(tenant, "notifications", Operation.PATCH, "n1"));
        recorded.add(commit(tenant, "workflows", Operation.PATCH, "w1"));
        recorded.add(commit(tenant, "workflows", Operation.DELETE, "w1"));

        List<DomainMutated> published = TopicReader.mutations(kafkaBootstrapServers(),
                event -> event.tenant().equals(tenant), 4, ARRIVAL);

        List<DomainMutated> workflows = published.stream().filter(e -> e.domain().equals("workflows")).toList();
        assertThat(workflows).extracting(DomainMutated::sequence).containsExactly(1L, 2L, 3L);
        assertThat(workflows).extracting(DomainMutated::operation)
                .containsExactly(Operation.CREATE, Operation.PATCH, Operation.DELETE);
        assertThat(published.stream().filter(e -> e.domain().equals("notifications")))
                .extracting(DomainMutated::sequence).containsExactly(1L);
        assertThat(published).containsExactlyInAnyOrderElementsOf(recorded);
        assertThat(published).allSatisfy(event -> assertThat(event.sourceNode()).isEqualTo(nodeId()));
        await().atMost(ARRIVAL).until(() -> node().count("cachebus.outbox.published", "domain", "workflows") >= 3);
    }

    @Test
    void aRolledBackWriteLeavesNoRowPublishesNothingAndGivesItsSequenceBack() {
        String tenant = newTenant();
        DomainMutated rolledBack = node().transactions().execute(status -> {
            DomainMutated event = node().publisher().recordMutation(tenant, "workflows", Operation.PATCH, "w1");
            status.setRollbackOnly();
            return event;
        });
        DomainMutated committed = commit(tenant, "workflows", Operation.PATCH, "w2");

        assertThat(rowsOf(rolledBack.eventId())).isZero();
        assertThat(committed.sequence()).isEqualTo(1);
        // one key, one partition, one order: had the rolled-back event been sent, it would come first
        List<DomainMutated> published = TopicReader.mutations(kafkaBootstrapServers(),
                event -> event.tenant().equals(tenant), 1, ARRIVAL);
        assertThat(published).containsExactly(committed);
    }

    @Test
    void outsideATransactionRecordingIsRefusedAndNothingIsWritten() {
        String tenant = newTenant();

        assertThatThrownBy(() -> node().publisher().recordMutation(tenant, "workflows", Operation.CREATE, "w1"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("transaction");
        assertThat(node().jdbc().queryForObject("SELECT COUNT(*) FROM cachebus_outbox WHERE tenant = ?", Long.class,
                tenant)).isZero();
    }

    @Test
    void concurrentWritersOfOneNewDomainGetDistinctGapFreeSequences() throws Exception {
        String tenant = newTenant();
        int writers = 6;
        int writesEach = 5;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < writesEach; i++) {
                        commit(tenant, "workflows", Operation.UPDATE, "w1");
                    }
                }));
            }
            for (Future<?> writer : done) {
                writer.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        List<Long> sequences = node().jdbc().queryForList(
                "SELECT sequence FROM cachebus_outbox WHERE tenant = ? ORDER BY id", Long.class, tenant);
        assertThat(sequences).as("in commit order, which is id order").containsExactlyElementsOf(
                LongStream.rangeClosed(1, writers * writesEach).boxed().toList());
        List<DomainMutated> published = TopicReader.mutations(kafkaBootstrapServers(),
                event -> event.tenant().equals(tenant), writers * writesEach, ARRIVAL);
        assertThat(published).extracting(DomainMutated::sequence).containsExactlyElementsOf(sequences);
    }

    @Test
    void badNamesFailTheWriteWithATypedErrorBeforeAnythingIsWritten() {
        assertThatThrownBy(() -> node().transactions().executeWithoutResult(status ->
                node().publisher().recordMutation("t1*", "workflows", Operation.CREATE, Optional.empty(),
                        List.of(new Tag("workflows", "steps")))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tenant");
    }

    @Test
    void theOutboxDrainsToZeroPending() {
        commit(newTenant(), "workflows", Operation.CREATE, "w1");

        await().atMost(ARRIVAL).until(() -> node().jdbc().queryForObject(
                "SELECT COUNT(*) FROM cachebus_outbox WHERE sent_at IS NULL", Long.class) == 0);
        await().atMost(ARRIVAL).until(() -> node().relay().pending() == 0
                && node().meters().get(OutboxRelay.PENDING).gauge().value() == 0);
    }

    DomainMutated commit(String tenant, String domain, Operation operation, String entityId) {
        return node().transactions().execute(status ->
                node().publisher().recordMutation(tenant, domain, operation, entityId));
    }

    long rowsOf(UUID eventId) {
        return node().jdbc().queryForObject("SELECT COUNT(*) FROM cachebus_outbox WHERE event_id = ?", Long.class,
                eventId.toString());
    }

    String nodeId() {
        return node().bean(io.cachebus.client.autoconfigure.NodeIdentity.class).id();
    }

    static String newTenant() {
        return "t-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
