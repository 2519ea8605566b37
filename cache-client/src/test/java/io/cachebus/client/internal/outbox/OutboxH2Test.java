package io.cachebus.client.internal.outbox;

import io.cachebus.client.testsupport.Node;
import io.cachebus.local.junit.LocalKafkaExtension;
import io.cachebus.local.kafka.KafkaBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** The outbox on H2 in PostgreSQL mode, the embedded database API nodes start with. */
@ExtendWith(LocalKafkaExtension.class)
class OutboxH2Test extends OutboxScenarios {

    private static Node node;
    private static String bootstrapServers;

    @BeforeAll
    static void startNode(KafkaBroker kafka) {
        bootstrapServers = kafka.bootstrapServers();
        node = Node.named("outbox-h2").kafka(bootstrapServers).start();
    }

    @AfterAll
    static void stopNode() {
        node.close();
    }

    @Override
    Node node() {
        return node;
    }

    @Override
    String kafkaBootstrapServers() {
        return bootstrapServers;
    }
}
