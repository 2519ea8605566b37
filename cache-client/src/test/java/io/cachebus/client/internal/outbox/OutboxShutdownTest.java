package io.cachebus.client.internal.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cachebus.client.testsupport.Node;
import io.cachebus.client.testsupport.TopicReader;
import io.cachebus.events.DomainMutated;
import io.cachebus.events.EventCodec;
import io.cachebus.events.Operation;
import io.cachebus.local.junit.LocalKafkaExtension;
import io.cachebus.local.kafka.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.context.SmartLifecycle;

/** The relay's stop: after the web server's drain, with a final pass over what is still unsent. */
@ExtendWith(LocalKafkaExtension.class)
class OutboxShutdownTest {

    /** Spring Boot's {@code WebServerGracefulShutdownLifecycle} phase; its server stops at 1024 below. */
    private static final int WEB_SERVER_GRACEFUL_SHUTDOWN_PHASE = SmartLifecycle.DEFAULT_PHASE - 1024;

    @Test
    void theRelayStopsAfterTheWebServerHasDrainedAndStopped() {
        assertThat(OutboxRelay.PHASE).isLessThan(WEB_SERVER_GRACEFUL_SHUTDOWN_PHASE - 1024);
    }

    @Test
    void aRowCommittedSinceTheLastPassIsSentByTheStopsFinalPass(KafkaBroker kafka) {
        String nodeId = "outbox-final-pass-" + UUID.randomUUID().toString().substring(0, 4);
        Node node = Node.named(nodeId)
                .kafka(kafka.bootstrapServers())
                .property("cachebus.outbox.sweep-interval", "1h") // only a wake-up or the stop runs a pass
                .start();
        try {
            String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
            node.transactions().executeWithoutResult(status ->
                    node.publisher().recordMutation(tenant, "workflows", Operation.UPDATE, "w0"));
            await().atMost(Duration.ofSeconds(30)).until(() -> unsent(node, tenant) == 0);
            // a commit whose wake-up the relay has not acted on yet: a row it has not seen when the stop comes
            DomainMutated late = new DomainMutated(UUID.randomUUID(), tenant, "workflows", Operation.UPDATE,
                    Optional.of("w1"), List.of(), Instant.now(), nodeId, 2);
            node.jdbc().update("""
                    INSERT INTO cachebus_outbox (event_id, tenant, domain, sequence, payload, source_node, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)""", late.eventId().toString(), tenant, "workflows", 2,
                    new String(new EventCodec().encode(late), StandardCharsets.UTF_8), nodeId,
                    late.committedAt().atOffset(ZoneOffset.UTC));

            node.relay().stop();

            assertThat(unsent(node, tenant)).as("sent by the final pass").isZero();
            assertThat(TopicReader.mutations(kafka.bootstrapServers(), e -> e.eventId().equals(late.eventId()), 1,
                    Duration.ofSeconds(10))).containsExactly(late);
        } finally {
            node.close();
        }
    }

    private static long unsent(Node node, String tenant) {
        return node.jdbc().queryForObject(
                "SELECT COUNT(*) FROM cachebus_outbox WHERE tenant = ? AND sent_at IS NULL", Long.class, tenant);
    }
}
