package io.cachebus.client.internal.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cachebus.client.testsupport.Node;
import io.cachebus.client.testsupport.TopicReader;
import io.cachebus.events.DomainMutated;
import io.cachebus.events.Operation;
import io.cachebus.local.kafka.KafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Invariant 4 for publishing: with Kafka down, writes still commit at once and their events wait in the outbox;
 * once Kafka is back they all arrive, in order, and the outbox drains. Uses a broker of its own (it is stopped) and
 * H2 in its default mode.
 */
class OutboxKafkaOutageTest {

    private static KafkaBroker kafka;
    private static Node node;

    @BeforeAll
    static void start() {
        kafka = KafkaBroker.start();
        node = Node.named("outbox-outage").kafka(kafka.bootstrapServers())
                .database(Node.Builder.h2("outbox-outage-" + UUID.randomUUID(), false))
                .property("cachebus.outbox.send-timeout", "2s")
                .property("cachebus.outbox.sweep-interval", "200ms")
                .start();
    }

    @AfterAll
    static void stop() {
        node.close();
        kafka.close();
    }

    @Test
    void writesCommitWhileKafkaIsDownAndTheirEventsArriveOnceItIsBack() {
        String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
        List<DomainMutated> recorded = new ArrayList<>();
        recorded.add(commit(tenant));
        TopicReader.mutations(kafka.bootstrapServers(), e -> e.tenant().equals(tenant), 1, Duration.ofSeconds(30));

        kafka.stop();
        try {
            for (int i = 0; i < 3; i++) {
                long started = System.nanoTime();
                recorded.add(commit(tenant));
                // nothing on the write path waits for Kafka; a bound far above a commit, far below any Kafka timeout
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> node.relay().pending() == 3);
            assertThat(unsentRows()).isEqualTo(3);
        } finally {
            kafka.resume();
        }

        List<DomainMutated> published = TopicReader.mutations(kafka.bootstrapServers(),
                e -> e.tenant().equals(tenant), 4, Duration.ofSeconds(60));
        // the first went out directly, stamped with its commit; the others were the relay's, as recorded
        assertThat(published).as("in the order they were written").usingElementComparator(TopicReader.SAME_WRITE)
                .containsExactlyElementsOf(recorded);
        await().atMost(Duration.ofSeconds(30)).until(() -> unsentRows() == 0 && node.relay().pending() == 0);
    }

    private static DomainMutated commit(String tenant) {
        return node.transactions().execute(status ->
                node.publisher().recordMutation(tenant, "workflows", Operation.PATCH, "w1"));
    }

    private static long unsentRows() {
        return node.jdbc().queryForObject("SELECT COUNT(*) FROM cachebus_outbox WHERE sent_at IS NULL", Long.class);
    }
}
