package io.cachebus.client.internal.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cachebus.client.testsupport.Node;
import io.cachebus.local.postgres.PostgresDatabase;
import io.cachebus.client.testsupport.TopicReader;
import io.cachebus.events.DomainMutated;
import io.cachebus.events.Operation;
import io.cachebus.local.junit.LocalKafkaExtension;
import io.cachebus.local.kafka.KafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A dead node's backlog is adopted by one surviving node, not resent by each: the survivors claim rows in one
 * UPDATE on the database's clock. Run on H2 and, where it listens on 127.0.0.1:5432, on PostgreSQL.
 */
@ExtendWith(LocalKafkaExtension.class)
class OutboxAdoptionTest {

    private static final int BACKLOG = 600;

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aDeadNodesBacklogIsSentOnceNotOncePerSurvivingNode(String databaseKind, KafkaBroker kafka) {
        assumeTrue(databaseKind.equals("h2") || PostgresDatabase.isReachable(), "no PostgreSQL on 127.0.0.1:5432");
        PostgresDatabase postgres = databaseKind.equals("h2") ? null : PostgresDatabase.create("adoption");
        String url = postgres == null ? Node.Builder.h2("adoption-" + UUID.randomUUID(), true) : postgres.jdbcUrl();
        String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
        List<Node> nodes = new ArrayList<>();
        try {
            // both survivors sweep before the backlog is orphaned: they race for it
            Node first = node("adoption-survivor-1", url, kafka, nodes);
            node("adoption-survivor-2", url, kafka, nodes);
            Node dead = node("adoption-dead", url, kafka, nodes);
            dead.relay().stop(); // dies right after its commits: its own relay never sends them
            List<DomainMutated> committed = new ArrayList<>();
            dead.transactions().executeWithoutResult(status -> {
                for (int i = 0; i < BACKLOG; i++) {
                    committed.add(dead.publisher().recordMutation(tenant, "workflows", Operation.UPDATE, "w" + i));
                }
            });

            await().atMost(Duration.ofSeconds(60)).until(() -> first.jdbc().queryForObject(
                    "SELECT COUNT(*) FROM cachebus_outbox WHERE tenant = ? AND sent_at IS NULL", Long.class,
                    tenant) == 0);

            // every row is marked sent only after its ack: the topic holds every send there will be
            List<DomainMutated> published = TopicReader.mutationsUpToNow(kafka.bootstrapServers(),
                    event -> event.tenant().equals(tenant));
            assertThat(published).as("each row once").hasSize(BACKLOG).containsExactlyElementsOf(committed);
        } finally {
            nodes.forEach(Node::close);
            if (postgres != null) {
                postgres.close();
            }
        }
    }

    private static Node node(String name, String url, KafkaBroker kafka, List<Node> nodes) {
        Node.Builder builder = Node.named(name + "-" + UUID.randomUUID().toString().substring(0, 4))
                .kafka(kafka.bootstrapServers()).database(url)
                // longer than a pass of 20 rows takes on a loaded machine: a claim outliving its lease is resent
                .property("cachebus.outbox.orphan-after", "5s")
                .property("cachebus.outbox.sweep-interval", "50ms")
                .property("cachebus.outbox.batch-size", "20");
        if (url.startsWith("jdbc:postgresql:")) {
            builder.property("spring.datasource.username", "postgres");
        }
        Node node = builder.start();
        nodes.add(node);
        return node;
    }
}
