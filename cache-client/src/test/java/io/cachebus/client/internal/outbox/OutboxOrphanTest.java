package io.cachebus.client.internal.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.client.testsupport.Node;
import io.cachebus.client.testsupport.TopicReader;
import io.cachebus.events.DomainMutated;
import io.cachebus.events.Operation;
import io.cachebus.local.junit.LocalKafkaExtension;
import io.cachebus.local.kafka.KafkaBroker;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Invariant 4 when a node dies between commit and send: its rows stay in the shared outbox and another node sends
 * them once they are older than {@code orphan-after}.
 */
@ExtendWith(LocalKafkaExtension.class)
class OutboxOrphanTest {

    private static Node crashed;
    private static Node survivor;
    private static String bootstrapServers;

    @BeforeAll
    static void startNodes(KafkaBroker kafka) {
        bootstrapServers = kafka.bootstrapServers();
        String database = Node.Builder.h2("orphans-" + UUID.randomUUID(), true);
        crashed = Node.named("orphan-crashed").kafka(bootstrapServers).database(database).start();
        survivor = Node.named("orphan-survivor").kafka(bootstrapServers).database(database)
                .property("cachebus.outbox.orphan-after", "1s")
                .property("cachebus.outbox.sweep-interval", "200ms")
                .start();
    }

    @AfterAll
    static void stopNodes() {
        crashed.close();
        survivor.close();
    }

    @Test
    void anotherNodeSendsTheRowsOfANodeThatStoppedBeforeSendingThem() {
        crashed.relay().stop(); // the node dies right after its commits: its own relay never sends them
        String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
        DomainMutated first = commit(tenant);
        DomainMutated second = commit(tenant);

        List<DomainMutated> published = TopicReader.mutations(bootstrapServers, e -> e.tenant().equals(tenant), 2,
                Duration.ofSeconds(30));

        assertThat(published).containsExactly(first, second);
        assertThat(published).allSatisfy(e -> assertThat(e.sourceNode()).isEqualTo("orphan-crashed"));
    }

    private static DomainMutated commit(String tenant) {
        return crashed.transactions().execute(status ->
                crashed.publisher().recordMutation(tenant, "workflows", Operation.UPDATE, "w1"));
    }
}
