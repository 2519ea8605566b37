package io.cachebus.client.testsupport;

import io.cachebus.events.DomainMutated;
import io.cachebus.events.EventCodec;
import io.cachebus.events.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads the mutation topic from its beginning, as the invalidator would, without a consumer group. */
public final class TopicReader {

    private static final EventCodec CODEC = new EventCodec();

    /**
     * The same write: equal events apart from {@link DomainMutated#committedAt()}, which a direct send stamps when the
     * commit returned, later than the moment {@code recordMutation} returned (and the relay sends).
     */
    public static final Comparator<DomainMutated> SAME_WRITE = (a, b) ->
            a.withCommittedAt(Instant.EPOCH).equals(b.withCommittedAt(Instant.EPOCH)) ? 0
                    : a.toString().compareTo(b.toString());

    private TopicReader() {
    }

    /**
     * The events matching {@code filter}, in topic order, once {@code expected} of them arrived.
     *
     * @throws AssertionError when fewer arrive within {@code timeout}
     */
    public static List<DomainMutated> mutations(String bootstrapServers, Predicate<DomainMutated> filter,
            int expected, Duration timeout) {
        List<DomainMutated> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = fromTheBeginning(bootstrapServers)) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (found.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    DomainMutated event = CODEC.decodeDomainMutated(record.value());
                    if (filter.test(event)) {
                        if (!record.key().equals(event.recordKey())) {
                            throw new AssertionError("record key " + record.key() + " is not " + event.recordKey());
                        }
                        found.add(event);
                    }
                }
            }
        }
        if (found.size() < expected) {
            throw new AssertionError("expected " + expected + " events within " + timeout + ", got " + found);
        }
        return found;
    }

    /** Every event matching {@code filter} on the topic now, in topic order (up to the end offsets at the call). */
    public static List<DomainMutated> mutationsUpToNow(String bootstrapServers, Predicate<DomainMutated> filter) {
        List<DomainMutated> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = fromTheBeginning(bootstrapServers)) {
            Set<TopicPartition> partitions = consumer.assignment();
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the topic was not read to its end offsets " + end + " in 30 s");
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    DomainMutated event = CODEC.decodeDomainMutated(record.value());
                    if (filter.test(event)) {
                        found.add(event);
                    }
                }
            }
        }
        return found;
    }

    /** A consumer of every partition of the mutation topic, at its beginning. */
    private static KafkaConsumer<String, byte[]> fromTheBeginning(String bootstrapServers) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.DOMAIN_MUTATED, Duration.ofSeconds(30))
                .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }
}
