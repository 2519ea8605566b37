package io.cachebus.client.internal.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.events.DomainMutated;
import io.cachebus.events.Operation;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.mock.MockProducerFactory;

/**
 * The direct path's bookkeeping, on a producer whose sends stay in flight until the test completes them: no broker
 * can hold a send in flight without failing it, and the bound is about sends in flight. The path end to end, on a
 * real broker and database, is {@link OutboxDirectSendTest}'s.
 */
class DirectSendTest {

    private static final int MAX_IN_FLIGHT = 2;

    private final MockProducer<String, byte[]> producer = new MockProducer<>(false, null, new StringSerializer(),
            new ByteArraySerializer());
    private final AtomicInteger relayWakeUps = new AtomicInteger();
    private DirectSend direct;

    @BeforeEach
    void openDirectSends() {
        direct = new DirectSend(new KafkaTemplate<>(new MockProducerFactory<>(() -> producer)), "mutations",
                MAX_IN_FLIGHT, Duration.ofSeconds(10), relayWakeUps::incrementAndGet);
        direct.start();
        direct.relayCaughtUp(direct.givenUpCount());
        assertThat(direct.isOpen()).isTrue();
    }

    @Test
    void pastTheBoundOfSendsInFlightACommitLeavesItsRowToTheRelayAndDirectSendsPause() {
        commit(1, "t1:workflows");
        commit(2, "t2:workflows");
        assertThat(producer.history()).hasSize(MAX_IN_FLIGHT);

        commit(3, "t3:workflows");

        assertThat(producer.history()).as("nothing more handed to Kafka").hasSize(MAX_IN_FLIGHT);
        assertThat(direct.isOpen()).isFalse();
        assertThat(relayWakeUps).hasValue(1);
        assertThat(direct.leftToRelay(List.of(row(1), row(2), row(3)), false))
                .as("the relay sends the row given up, not those in flight").extracting(OutboxRow::id)
                .containsExactly(3L);
        producer.completeNext();
        producer.completeNext();
        assertThat(direct.takeAcknowledged()).extracting(DirectSend.Ticket::rowId).containsExactly(1L, 2L);
    }

    @Test
    void directSendsOpenAgainOnlyAfterARelayPassThatBeganAfterTheLastGiveUp() {
        commit(1, "t1:workflows");
        producer.errorNext(new RuntimeException("broker gone"));
        long beforeAPass = direct.givenUpCount();
        commit(2, "t1:workflows"); // paused: given up while the pass runs

        direct.relayCaughtUp(beforeAPass);
        assertThat(direct.isOpen()).as("the pass may have missed row 2").isFalse();

        direct.relayCaughtUp(direct.givenUpCount());
        assertThat(direct.isOpen()).isTrue();
        assertThat(producer.history()).as("both rows were the relay's").hasSize(1);
    }

    private void commit(long rowId, String recordKey) {
        String tenant = recordKey.substring(0, recordKey.indexOf(':'));
        DomainMutated event = new DomainMutated(UUID.randomUUID(), tenant, "workflows", Operation.PATCH,
                Optional.of("w" + rowId), List.of(), Instant.now(), "test-node", DomainMutated.UNNUMBERED);
        byte[] payload = ("event " + rowId).getBytes(StandardCharsets.UTF_8);
        direct.committed(direct.register(rowId, event, payload), event, payload);
    }

    private static OutboxRow row(long id) {
        return new OutboxRow(id, "event-" + id, "t" + id, "workflows", "{}");
    }
}
