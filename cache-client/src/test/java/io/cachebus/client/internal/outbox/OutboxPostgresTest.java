package io.cachebus.client.internal.outbox;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cachebus.client.testsupport.Node;
import io.cachebus.local.postgres.PostgresDatabase;
import io.cachebus.local.junit.LocalKafkaExtension;
import io.cachebus.local.kafka.KafkaBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** The outbox on PostgreSQL, on a database of its own; skipped where no PostgreSQL listens on 127.0.0.1:5432. */
@ExtendWith(LocalKafkaExtension.class)
class OutboxPostgresTest extends OutboxScenarios {

    private static PostgresDatabase database;
    private static Node node;
    private static String bootstrapServers;

    @BeforeAll
    static void startNode(KafkaBroker kafka) {
        assumeTrue(PostgresDatabase.isReachable(), "no PostgreSQL on 127.0.0.1:5432");
        database = PostgresDatabase.create("outbox");
        bootstrapServers = kafka.bootstrapServers();
        node = Node.named("outbox-pg").kafka(bootstrapServers)
                .database(database.jdbcUrl())
                .property("spring.datasource.username", database.user())
                .start();
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
        if (database != null) {
            database.close();
        }
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
