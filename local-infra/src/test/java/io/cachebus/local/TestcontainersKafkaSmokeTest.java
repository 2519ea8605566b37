package io.cachebus.local;

import io.cachebus.local.junit.RedisServerExtension;
import io.cachebus.local.kafka.KafkaBroker;
import io.cachebus.local.redis.RedisServer;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import io.cachebus.events.Topics;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/** The same smoke scenario on Testcontainers' Kafka module; skipped where no Docker engine runs. */
@Testcontainers(disabledWithoutDocker = true)
@ExtendWith(RedisServerExtension.class)
class TestcontainersKafkaSmokeTest {

    @Container
    static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.1.1");

    @Test
    void mutationConsumedByAGroupRemovesTheKeysUnderItsPrefix(RedisServer redis) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.getBootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(Topics.DOMAIN_MUTATED, KafkaBroker.MUTATION_PARTITIONS, (short) 1)))
                    .all().get();
        }
        new SmokeScenario().run(KAFKA.getBootstrapServers(), redis);
    }
}
