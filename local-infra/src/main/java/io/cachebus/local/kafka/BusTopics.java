package io.cachebus.local.kafka;

import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Mutation, dead-letter and eviction topics of a test class's own on the shared broker, shaped like the real ones,
 * and a consumer group for its invalidator: other test classes' events never reach it.
 */
public record BusTopics(String mutations, String deadLetter, String evictions, String invalidatorGroup) {

    public static BusTopics create(KafkaBroker kafka, String name) {
        String base = "test-" + name + "-" + UUID.randomUUID().toString().substring(0, 8);
        BusTopics topics = new BusTopics(base + ".domain-mutated", base + ".domain-mutated.DLT", base + ".evictions",
                base + "-invalidator");
        kafka.createTopics(List.of(
                new NewTopic(topics.mutations(), KafkaBroker.MUTATION_PARTITIONS, (short) 1),
                new NewTopic(topics.deadLetter(), KafkaBroker.MUTATION_PARTITIONS, (short) 1),
                new NewTopic(topics.evictions(), KafkaBroker.EVICTION_PARTITIONS, (short) 1)));
        return topics;
    }
}
