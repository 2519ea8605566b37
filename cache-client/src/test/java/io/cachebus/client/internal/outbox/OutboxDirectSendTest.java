package io.cachebus.client.internal.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.cachebus.client.testsupport.Node;
import io.cachebus.client.testsupport.TopicReader;
import io.cachebus.events.DomainMutated;
import io.cachebus.events.EventCodec;
import io.cachebus.events.Operation;
import io.cachebus.local.kafka.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The direct send: a commit hands its event to Kafka itself and the relay only marks the row sent; what the direct
 * send does not get through, the relay sends from the table. The relay's sweep runs every ten minutes here, so an
 * event that arrives was not found by a sweep. Uses a broker of its own (one test stops it) and H2 in PostgreSQL mode.
 */
class OutboxDirectSendTest {

    private static final Duration ARRIVAL = Duration.ofSeconds(30);
    private static final String SWEEP_RARELY = "10m";

    private static KafkaBroker kafka;
    private static Node node;
    private static ExecutorService threads;

    @BeforeAll
    static void start() {
        kafka = KafkaBroker.start();
        node = node("direct-send").start();
        threads = Executors.newCachedThreadPool();
    }

    @AfterAll
    static void stop() {
        threads.shutdownNow();
        node.close();
        kafka.close();
    }

    private static Node.Builder node(String name) {
        return Node.named(name + "-" + UUID.randomUUID().toString().substring(0, 4))
                .kafka(kafka.bootstrapServers())
                .property("cachebus.outbox.sweep-interval", SWEEP_RARELY)
                .property("cachebus.outbox.send-timeout", "2s");
    }

    /** The direct producer has its metadata and no earlier give-up holds direct sends back. */
    @BeforeEach
    void directSendsAreOpen() {
        await().atMost(ARRIVAL).until(() -> node.relay().directSendOpen());
        DomainMutated probe = commit(node, newTenant());
        TopicReader.mutations(kafka.bootstrapServers(), e -> e.eventId().equals(probe.eventId()), 1, ARRIVAL);
        await().atMost(ARRIVAL).until(() -> sent(node, probe) && node.relay().directSendOpen());
    }

    @Test
    void anEventReachesKafkaWhileTheRelayCannotClaimAnyRowAndItsRowIsMarkedSentAfterTheAck() throws Exception {
        // a row of this node locked by an open transaction: every claim of the relay waits on it, or fails
        long locked = insertUnsentRow(node, newTenant());
        CountDownLatch lockHeld = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<?> holder = threads.submit(() -> node.transactions().executeWithoutResult(status -> {
            node.jdbc().update("UPDATE cachebus_outbox SET claimed_at = claimed_at WHERE id = ?", locked);
            lockHeld.countDown();
            awaitQuietly(release);
            status.setRollbackOnly();
        }));
        try {
            assertThat(lockHeld.await(10, TimeUnit.SECONDS)).isTrue();
            node.relay().wake(); // were the relay to send this commit, its claim would be stuck behind the lock
            String tenant = newTenant();

            DomainMutated event = commit(node, tenant);

            assertThat(TopicReader.mutations(kafka.bootstrapServers(), e -> e.tenant().equals(tenant), 1,
                    Duration.ofSeconds(8))).usingElementComparator(TopicReader.SAME_WRITE).containsExactly(event);
            await().atMost(ARRIVAL).until(() -> sent(node, event));
        } finally {
            release.countDown();
            holder.get(30, TimeUnit.SECONDS);
            node.jdbc().update("DELETE FROM cachebus_outbox WHERE id = ?", locked);
        }
    }

    @Test
    void theEventLeavesStampedWithItsCommitAndItsRowKeepsTheMomentOfItsInsert() throws Exception {
        String tenant = newTenant();
        Instant[] lastStatement = new Instant[1];
        DomainMutated recorded = node.transactions().execute(status -> {
            DomainMutated event = node.publisher().recordMutation(tenant, "workflows", Operation.PATCH, "w1");
            // the rest of a long transaction: the event's propagation has not begun
            sleepQuietly(Duration.ofMillis(200));
            lastStatement[0] = Instant.now();
            return event;
        });
        Instant afterCommit = Instant.now();

        List<DomainMutated> published = TopicReader.mutations(kafka.bootstrapServers(),
                e -> e.tenant().equals(tenant), 1, ARRIVAL);

        assertThat(published).hasSize(1);
        assertThat(published.get(0).committedAt()).as("stamped when the commit returned")
                .isAfterOrEqualTo(lastStatement[0]).isBeforeOrEqualTo(afterCommit);
        assertThat(published.get(0).withCommittedAt(recorded.committedAt())).isEqualTo(recorded);
        // what the relay would send, and what the staleness bound waits for: the earlier moment
        assertThat(node.jdbc().queryForObject("SELECT created_at FROM cachebus_outbox WHERE event_id = ?",
                java.time.OffsetDateTime.class, recorded.eventId().toString()).toInstant())
                .isCloseTo(recorded.committedAt(), within(1, ChronoUnit.MICROS));
    }

    @Test
    void aRolledBackTransactionSendsNothingAndHoldsNoLaterCommitOfItsDomainBack() {
        String tenant = newTenant();
        DomainMutated rolledBack = node.transactions().execute(status -> {
            DomainMutated event = node.publisher().recordMutation(tenant, "workflows", Operation.PATCH, "w1");
            status.setRollbackOnly();
            return event;
        });
        DomainMutated committed = commit(node, tenant);

        // one key, one partition, one order: had the rolled-back event been sent, it would come first
        assertThat(TopicReader.mutations(kafka.bootstrapServers(), e -> e.tenant().equals(tenant), 1, ARRIVAL))
                .usingElementComparator(TopicReader.SAME_WRITE).containsExactly(committed)
                .noneMatch(e -> e.eventId().equals(rolledBack.eventId()));
        await().atMost(ARRIVAL).until(() -> sent(node, committed));
    }

    @Test
    void aCommitWhoseAfterCommitWorkIsLateIsNotOvertakenByALaterCommitOfItsDomain() throws Exception {
        String tenant = newTenant();
        CountDownLatch firstCommitted = new CountDownLatch(1);
        CountDownLatch letFirstGoOn = new CountDownLatch(1);
        // the first writer's after-commit work is held back by another synchronization that runs before it
        Future<DomainMutated> first = threads.submit(() -> node.transactions().execute(status -> {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    firstCommitted.countDown();
                    awaitQuietly(letFirstGoOn);
                }
            });
            return node.publisher().recordMutation(tenant, "workflows", Operation.PATCH, "w1");
        }));
        assertThat(firstCommitted.await(10, TimeUnit.SECONDS)).isTrue();

        DomainMutated second = commit(node, tenant); // its send is handed over before the first one's can be
        letFirstGoOn.countDown();

        assertThat(TopicReader.mutations(kafka.bootstrapServers(), e -> e.tenant().equals(tenant), 2, ARRIVAL))
                .usingElementComparator(TopicReader.SAME_WRITE).containsExactly(first.get(10, TimeUnit.SECONDS), second);
    }

    @Test
    void aKafkaOutageLeavesTheRowsUnsentAndTheRelaySendsThemInOrderOnceKafkaIsBack() {
        String tenant = newTenant();
        List<DomainMutated> recorded = new ArrayList<>();
        kafka.stop();
        try {
            for (int i = 0; i < 3; i++) {
                long started = System.nanoTime();
                recorded.add(commit(node, tenant));
                // the commit hands its event over and goes on; a bound far above a commit, far below any timeout
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
            }
            // the sends time out (send-timeout 2 s) and are given up to the relay
            await().atMost(ARRIVAL).until(() -> !node.relay().directSendOpen());
            assertThat(recorded).noneMatch(event -> sent(node, event));
        } finally {
            kafka.resume();
        }

        assertThat(TopicReader.mutations(kafka.bootstrapServers(), e -> e.tenant().equals(tenant), 3,
                Duration.ofSeconds(60))).usingElementComparator(TopicReader.SAME_WRITE)
                .containsExactlyElementsOf(recorded);
        await().atMost(ARRIVAL).until(() -> recorded.stream().allMatch(event -> sent(node, event)));
        await().atMost(ARRIVAL).until(() -> node.relay().directSendOpen());
        DomainMutated after = commit(node, tenant);
        assertThat(TopicReader.mutations(kafka.bootstrapServers(), e -> e.tenant().equals(tenant), 4, ARRIVAL))
                .usingElementComparator(TopicReader.SAME_WRITE).endsWith(after);
    }

    @Test
    void aStopRightAfterABurstOfCommitsLosesNothing() {
        Node stopping = node("direct-send-stop").start();
        try {
            String tenant = newTenant();
            List<DomainMutated> recorded = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                recorded.add(commit(stopping, tenant));
            }

            stopping.relay().stop();

            assertThat(stopping.jdbc().queryForObject(
                    "SELECT COUNT(*) FROM cachebus_outbox WHERE tenant = ? AND sent_at IS NULL", Long.class, tenant))
                    .as("every row marked sent by the stop").isZero();
            assertThat(TopicReader.mutations(kafka.bootstrapServers(), e -> e.tenant().equals(tenant), 50,
                    ARRIVAL)).usingElementComparator(TopicReader.SAME_WRITE)
                .containsExactlyElementsOf(recorded);
        } finally {
            stopping.close();
        }
    }

    private static DomainMutated commit(Node on, String tenant) {
        return on.transactions().execute(status ->
                on.publisher().recordMutation(tenant, "workflows", Operation.PATCH, "w1"));
    }

    private static boolean sent(Node on, DomainMutated event) {
        return on.jdbc().queryForObject("SELECT COUNT(*) FROM cachebus_outbox WHERE event_id = ? AND sent_at IS NOT NULL",
                Long.class, event.eventId().toString()) == 1;
    }

    /** An unsent row claimed by {@code on}, as its commit leaves it, with a valid event (readers decode every record). */
    private static long insertUnsentRow(Node on, String tenant) {
        String nodeId = on.bean(io.cachebus.client.autoconfigure.NodeIdentity.class).id();
        DomainMutated event = new DomainMutated(UUID.randomUUID(), tenant, "workflows", Operation.UPDATE,
                Optional.of("w1"), List.of(), Instant.now(), nodeId, 1);
        on.jdbc().update("""
                INSERT INTO cachebus_outbox (event_id, tenant, domain, sequence, payload, source_node, created_at,
                  claimed_by, claimed_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, CURRENT_TIMESTAMP)""", event.eventId().toString(), tenant, "workflows",
                1, new String(new EventCodec().encode(event), StandardCharsets.UTF_8), nodeId,
                event.committedAt().atOffset(ZoneOffset.UTC), nodeId);
        return on.jdbc().queryForObject("SELECT id FROM cachebus_outbox WHERE event_id = ?", Long.class,
                event.eventId().toString());
    }

    private static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String newTenant() {
        return "t-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
