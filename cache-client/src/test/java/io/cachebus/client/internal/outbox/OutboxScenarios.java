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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The outbox's behaviour, run against each database it supports. */
abstract class OutboxScenarios {

    static final Duration ARRIVAL = Duration.ofSeconds(30);

    abstract Node node();

    abstract String kafkaBootstrapServers();

    @Test
    void committedMutationsArriveOnTheTopicInOrderPerTenantAndDomain() {
        String tenant = newTenant();
        List<DomainMutated> recorded = new ArrayList<>();
        recorded.add(commit(tenant, "workflows", Operation.CREATE, "w1"));
        recorded.add(commit(tenant, "notifications", Operation.PATCH, "n1"));
        recorded.add(commit(tenant, "workflows", Operation.PATCH, "w1"));
        recorded.add(commit(tenant, "workflows", Operation.DELETE, "w1"));

        List<DomainMutated> published = TopicReader.mutations(kafkaBootstrapServers(),
                event -> event.tenant().equals(tenant), 4, ARRIVAL);

        List<DomainMutated> workflows = published.stream().filter(e -> e.domain().equals("workflows")).toList();
        assertThat(workflows).extracting(DomainMutated::operation)
                .containsExactly(Operation.CREATE, Operation.PATCH, Operation.DELETE);
        assertThat(published).usingElementComparator(TopicReader.SAME_WRITE)
                .containsExactlyInAnyOrderElementsOf(recorded);
        assertThat(published).as("for readers of earlier releases (ADR 0016)")
                .allSatisfy(event -> assertThat(event.sequence()).isEqualTo(DomainMutated.UNNUMBERED));
        assertThat(published).allSatisfy(event -> assertThat(event.sourceNode()).isEqualTo(nodeId()));
        await().atMost(ARRIVAL).until(() -> node().count("cachebus.outbox.published", "domain", "workflows") >= 3);
    }

    @Test
    void aRolledBackWriteLeavesNoRowAndPublishesNothing() {
        String tenant = newTenant();
        DomainMutated rolledBack = node().transactions().execute(status -> {
            DomainMutated event = node().publisher().recordMutation(tenant, "workflows", Operation.PATCH, "w1");
            status.setRollbackOnly();
            return event;
        });
        DomainMutated committed = commit(tenant, "workflows", Operation.PATCH, "w2");

        assertThat(rowsOf(rolledBack.eventId())).isZero();
        // one key, one partition, one order: had the rolled-back event been sent, it would come first
        List<DomainMutated> published = TopicReader.mutations(kafkaBootstrapServers(),
                event -> event.tenant().equals(tenant), 1, ARRIVAL);
        assertThat(published).usingElementComparator(TopicReader.SAME_WRITE).containsExactly(committed);
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
    void concurrentWritersOfOneDomainAllCommitAndEachEventIsPublished() throws Exception {
        String tenant = newTenant();
        int writers = 6;
        int writesEach = 5;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<DomainMutated> recorded = new ArrayList<>();
        try {
            List<Future<List<DomainMutated>>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                done.add(pool.submit(() -> {
                    List<DomainMutated> mine = new ArrayList<>();
                    for (int i = 0; i < writesEach; i++) {
                        mine.add(commit(tenant, "workflows", Operation.UPDATE, "w1"));
                    }
                    return mine;
                }));
            }
            for (Future<List<DomainMutated>> writer : done) {
                recorded.addAll(writer.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        List<DomainMutated> published = TopicReader.mutations(kafkaBootstrapServers(),
                event -> event.tenant().equals(tenant), writers * writesEach, ARRIVAL);
        assertThat(published).usingElementComparator(TopicReader.SAME_WRITE)
                .containsExactlyInAnyOrderElementsOf(recorded);
    }

    /**
     * No lock shared by the writers of a (tenant, domain) (ADR 0016): the first writer's transaction, its outbox row
     * written, stays open until the second writer of the same domain has committed.
     */
    @Test
    void aWriterDoesNotWaitForAnotherOpenTransactionOfTheSameDomain() throws Exception {
        String tenant = newTenant();
        CountDownLatch firstRecorded = new CountDownLatch(1);
        CountDownLatch secondCommitted = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<DomainMutated> first = pool.submit(() -> node().transactions().execute(status -> {
                DomainMutated event = node().publisher().recordMutation(tenant, "workflows", Operation.UPDATE, "w1");
                firstRecorded.countDown();
                if (!awaitQuietly(secondCommitted)) {
                    throw new IllegalStateException("the second writer never committed");
                }
                return event;
            }));
            assertThat(firstRecorded.await(ARRIVAL.toSeconds(), TimeUnit.SECONDS)).isTrue();
            Future<DomainMutated> second = pool.submit(() -> {
                DomainMutated event = commit(tenant, "workflows", Operation.UPDATE, "w2");
                secondCommitted.countDown();
                return event;
            });

            assertThat(secondCommitted.await(ARRIVAL.toSeconds(), TimeUnit.SECONDS))
                    .as("the second writer committed while the first writer's transaction was open").isTrue();
            List<DomainMutated> both = List.of(first.get(ARRIVAL.toSeconds(), TimeUnit.SECONDS),
                    second.get(ARRIVAL.toSeconds(), TimeUnit.SECONDS));
            assertThat(TopicReader.mutations(kafkaBootstrapServers(), event -> event.tenant().equals(tenant), 2,
                    ARRIVAL)).usingElementComparator(TopicReader.SAME_WRITE)
                    .containsExactlyInAnyOrderElementsOf(both);
        } finally {
            secondCommitted.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void theSchemaHasNoSequenceTableAndTheOneOfAnEarlierReleaseIsRetiredOnRequest() {
        assertThat(sequenceTables()).as("OutboxSchema.create").isZero();
        OutboxSchema.TABLES.forEach(node().jdbc()::execute);
        assertThat(sequenceTables()).as("as a release before ADR 0016 created it").isOne();

        OutboxSchema.RETIRED.forEach(node().jdbc()::execute);

        assertThat(sequenceTables()).isZero();
        String tenant = newTenant();
        DomainMutated committed = commit(tenant, "workflows", Operation.PATCH, "w1");
        assertThat(TopicReader.mutations(kafkaBootstrapServers(), event -> event.tenant().equals(tenant), 1, ARRIVAL))
                .usingElementComparator(TopicReader.SAME_WRITE).containsExactly(committed);
    }

    private long sequenceTables() {
        return node().jdbc().queryForObject(
                "SELECT COUNT(*) FROM information_schema.tables WHERE LOWER(table_name) = 'cachebus_sequence'",
                Long.class);
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

    @Test
    void aMarkOrADeleteTakesExactlyTheRowsItNamesWhateverTheirNumber() {
        String tenant = newTenant();
        List<Long> ids = insertRowsClaimedElsewhere(tenant, 1_300);
        OutboxRepository repository = new OutboxRepository(node().jdbc());
        List<Long> marked = new ArrayList<>();
        // one id; three (padded to four); a statement's most and one more; more than a statement holds
        for (List<Long> batch : List.of(ids.subList(0, 1), ids.subList(1, 4), ids.subList(4, 517),
                ids.subList(600, 1_300))) {
            repository.markSent(batch);
            marked.addAll(batch);
        }
        assertThat(idsOf(tenant, "sent_at IS NOT NULL")).containsExactlyElementsOf(marked);

        List<Long> deleted = new ArrayList<>(ids.subList(2, 20));
        deleted.addAll(ids.subList(517, 1_100));
        repository.deleteSent(deleted);

        List<Long> left = new ArrayList<>(ids);
        left.removeAll(deleted);
        assertThat(idsOf(tenant, "1 = 1")).containsExactlyElementsOf(left);
        node().jdbc().update("DELETE FROM cachebus_outbox WHERE tenant = ?", tenant);
    }

    /** Unsent rows claimed by another node until an hour from now: this node's relay leaves them alone. */
    private List<Long> insertRowsClaimedElsewhere(String tenant, int count) {
        java.time.OffsetDateTime now = java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC);
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            rows.add(new Object[] {UUID.randomUUID().toString(), tenant, "{}", now, now.plusHours(1)});
        }
        node().jdbc().batchUpdate("""
                INSERT INTO cachebus_outbox (event_id, tenant, domain, sequence, payload, source_node, created_at,
                  claimed_by, claimed_at)
                VALUES (?, ?, 'workflows', 0, ?, 'elsewhere', ?, 'elsewhere', ?)""", rows);
        return idsOf(tenant, "1 = 1");
    }

    private List<Long> idsOf(String tenant, String condition) {
        return node().jdbc().queryForList(
                "SELECT id FROM cachebus_outbox WHERE tenant = ? AND " + condition + " ORDER BY id", Long.class,
                tenant);
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

    private static boolean awaitQuietly(CountDownLatch latch) {
        try {
            return latch.await(ARRIVAL.toSeconds() * 2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static String newTenant() {
        return "t-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
