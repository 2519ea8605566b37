package io.cachebus.invalidator.testing;

import io.cachebus.local.kafka.KafkaBroker;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Topics and a consumer group of a test class's own on the shared broker, shaped like the real ones, so test
 * classes never read each other's events.
 */
public record TestTopics(String mutations, String deadLetter, String evictions, String consumerGroup) {

    public static TestTopics create(KafkaBroker kafka, String name) {
        String base = "test-" + name + "-" + UUID.randomUUID().toString().substring(0, 8);
        TestTopics topics = new TestTopics(base + ".domain-mutated", base + ".domain-mutated.DLT",
                base + ".evictions", base + "-invalidator");
        kafka.createTopics(List.of(
                new NewTopic(topics.mutations(), KafkaBroker.MUTATION_PARTITIONS, (short) 1),
                new NewTopic(topics.deadLetter(), KafkaBroker.MUTATION_PARTITIONS, (short) 1),
                new NewTopic(topics.evictions(), KafkaBroker.EVICTION_PARTITIONS, (short) 1)));
        return topics;
    }

    /** The invalidator properties that point an instance at these topics and this group. */
    public Map<String, Object> properties() {
        return Map.of(
                "cachebus.invalidator.topics.mutations", mutations,
                "cachebus.invalidator.topics.dead-letter", deadLetter,
                "cachebus.invalidator.topics.evictions", evictions,
                "cachebus.invalidator.consumer-group", consumerGroup);
    }
}
