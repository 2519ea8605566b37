package io.cachebus.client.internal.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cachebus.client.testsupport.Node;
import io.cachebus.client.testsupport.TopicReader;
import io.cachebus.events.DomainMutated;
import io.cachebus.events.Operation;
import io.cachebus.local.junit.LocalKafkaExtension;
import io.cachebus.local.kafka.KafkaBroker;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A retention of zero: the rows Kafka acknowledged are deleted rather than marked sent, on the direct path and on
 * the relay's. H2 in PostgreSQL mode, the shared broker.
 */
@ExtendWith(LocalKafkaExtension.class)
class OutboxDeleteOnAckTest {

    private static final Duration ARRIVAL = Duration.ofSeconds(30);

    @Test
    void directSendsLeaveNoRowOnceKafkaAcknowledgedThem(KafkaBroker kafka) {
        try (Node node = node("delete-direct", kafka).start()) {
            await().atMost(ARRIVAL).until(() -> node.relay().directSendOpen());

            assertSentAndGone(node, kafka, 20);
        }
    }

    @Test
    void theRelayLeavesNoRowOfWhatItSent(KafkaBroker kafka) {
        try (Node node = node("delete-relay", kafka).property("cachebus.outbox.direct-send.enabled", false).start()) {
            assertSentAndGone(node, kafka, 20);
        }
    }

    private static Node.Builder node(String name, KafkaBroker kafka) {
        return Node.named(name + "-" + UUID.randomUUID().toString().substring(0, 4))
                .kafka(kafka.bootstrapServers())
                .property("cachebus.outbox.retention", "0s");
    }

    private static void assertSentAndGone(Node node, KafkaBroker kafka, int writes) {
        String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
        List<DomainMutated> committed = IntStream.range(0, writes).mapToObj(i -> node.transactions().execute(
                status -> node.publisher().recordMutation(tenant, "workflows", Operation.PATCH, "w" + i))).toList();

        assertThat(TopicReader.mutations(kafka.bootstrapServers(), e -> e.tenant().equals(tenant), writes, ARRIVAL))
                .usingElementComparator(TopicReader.SAME_WRITE).containsExactlyElementsOf(committed);
        await().atMost(ARRIVAL).until(() -> node.jdbc().queryForObject(
                "SELECT COUNT(*) FROM cachebus_outbox WHERE tenant = ?", Long.class, tenant) == 0);
        await().atMost(ARRIVAL).until(() -> node.count("cachebus.outbox.published", "domain", "workflows") >= writes);
    }
}
