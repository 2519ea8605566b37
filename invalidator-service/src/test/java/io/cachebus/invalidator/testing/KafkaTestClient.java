package io.cachebus.invalidator.testing;

import io.cachebus.events.DomainMutated;
import io.cachebus.events.EventCodec;
import io.cachebus.events.EvictionBatch;
import io.cachebus.events.EvictionBroadcast;
import io.cachebus.events.EvictionsTopicMessage;
import io.cachebus.events.InvalidationProgress;
import io.cachebus.local.kafka.BusTopics;
import io.cachebus.local.kafka.KafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** What a test does on Kafka around the invalidator: publish mutations, read broadcasts and dead letters, read offsets. */
public final class KafkaTestClient implements AutoCloseable {

    private final KafkaBroker kafka;
    private final BusTopics topics;
    private final EventCodec codec = new EventCodec();
    private final KafkaProducer<String, byte[]> producer;
    private final Admin admin;

    public KafkaTestClient(KafkaBroker kafka, BusTopics topics) {
        this.kafka = kafka;
        this.topics = topics;
        // Not idempotent, one request in flight (so still in order): on the shared broker of a busy CI run, the
        // idempotent producer once restarted a fresh partition's sequence at 0 after 58 records and retried the
        // OutOfOrderSequenceException until the test's publish timed out. Duplicates are not what these tests test.
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false,
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1,
                ProducerConfig.LINGER_MS_CONFIG, 10,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024), new StringSerializer(), new ByteArraySerializer());
        this.admin = kafka.admin();
    }

    /** Publishes as an API node's outbox relay does (key {@code tenant:domain}) and waits for every ack. */
    public List<RecordMetadata> publish(List<DomainMutated> events) {
        List<Future<RecordMetadata>> acks = new ArrayList<>(events.size());
        for (DomainMutated event : events) {
            acks.add(producer.send(new ProducerRecord<>(topics.mutations(), event.recordKey(), codec.encode(event))));
        }
        return acks.stream().map(KafkaTestClient::await).toList();
    }

    public RecordMetadata publishRaw(String key, byte[] payload) {
        return await(producer.send(new ProducerRecord<>(topics.mutations(), key, payload)));
    }

    /** A reader of the evictions topic from its beginning (assigned, no group, so no rebalance to wait for). */
    public TopicReader evictions() {
        return new TopicReader(kafka, topics.evictions());
    }

    public TopicReader deadLetters() {
        return new TopicReader(kafka, topics.deadLetter());
    }

    /** The invalidator group's committed offsets on the mutation topic (partitions without a commit are absent). */
    public Map<Integer, Long> committedOffsets() {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(topics.invalidatorGroup())
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            return offsets.entrySet().stream()
                    .filter(e -> e.getKey().topic().equals(topics.mutations()) && e.getValue() != null)
                    .collect(Collectors.toMap(e -> e.getKey().partition(), e -> e.getValue().offset()));
        } catch (Exception e) {
            throw new IllegalStateException("could not read committed offsets of " + topics.invalidatorGroup(), e);
        }
    }

    /** The next offset to be written per partition of the mutation topic. */
    public Map<Integer, Long> endOffsets() {
        return endOffsets(topics.mutations());
    }

    /** The next offset to be written per partition of the evictions topic. */
    public Map<Integer, Long> evictionsEndOffsets() {
        return endOffsets(topics.evictions(), KafkaBroker.EVICTION_PARTITIONS);
    }

    /** How many records the dead-letter topic holds. */
    public long deadLetterCount() {
        return endOffsets(topics.deadLetter()).values().stream().mapToLong(Long::longValue).sum();
    }

    private Map<Integer, Long> endOffsets(String topic) {
        return endOffsets(topic, KafkaBroker.MUTATION_PARTITIONS);
    }

    private Map<Integer, Long> endOffsets(String topic, int partitions) {
        try {
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                request.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            return admin.listOffsets(request).all().get(30, TimeUnit.SECONDS).entrySet().stream()
                    .collect(Collectors.toMap(e -> e.getKey().partition(), e -> e.getValue().offset()));
        } catch (Exception e) {
            throw new IllegalStateException("could not read end offsets of " + topic, e);
        }
    }

    /** End offsets of the partitions that have records, for comparison with {@link #committedOffsets()}. */
    public Map<Integer, Long> nonEmptyEndOffsets() {
        return endOffsets().entrySet().stream().filter(e -> e.getValue() > 0)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
    }

    private static RecordMetadata await(Future<RecordMetadata> ack) {
        try {
            return ack.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("publish failed", e);
        }
    }

    /** Reads every record of a topic from its beginning, accumulating what it has seen. */
    public static final class TopicReader implements AutoCloseable {

        private final EventCodec codec = new EventCodec();
        private final KafkaConsumer<String, byte[]> consumer;
        private final List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();

        TopicReader(KafkaBroker kafka, String topic) {
            consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer());
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }

        /** Polls once (briefly) and returns everything read so far. */
        public List<ConsumerRecord<String, byte[]>> poll() {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            return List.copyOf(records);
        }

        /**
         * The broadcasts read so far (progress heartbeats left out), each scope of a compact batch as the per-group
         * broadcast it stands for.
         */
        public List<EvictionBroadcast> broadcasts() {
            return poll().stream().map(record -> codec.decodeEvictionsTopic(record.value()))
                    .flatMap(message -> broadcastsIn(message).stream())
                    .toList();
        }

        /** The records that are compact batches. */
        public List<EvictionBatch> batches() {
            return poll().stream().map(record -> codec.decodeEvictionsTopic(record.value()))
                    .flatMap(message -> message instanceof EvictionBatch batch ? Stream.of(batch) : Stream.empty())
                    .toList();
        }

        /** The records read so far, each with its decoded message, in the order of each evictions partition. */
        public List<Message> messages() {
            return poll().stream().map(record -> new Message(record.partition(), record.offset(),
                    codec.decodeEvictionsTopic(record.value()))).toList();
        }

        /** Every event id named by a broadcast read so far. */
        public Set<UUID> broadcastEventIds() {
            Set<UUID> ids = new HashSet<>();
            broadcasts().forEach(b -> ids.addAll(b.eventIds()));
            return ids;
        }

        /** Every event id named by a broadcast read so far that says Redis was invalidated (no {@code redisPending}). */
        public Set<UUID> redisDoneEventIds() {
            Set<UUID> ids = new HashSet<>();
            broadcasts().stream().filter(b -> !b.redisPending()).forEach(b -> ids.addAll(b.eventIds()));
            return ids;
        }

        public List<EvictionBroadcast> broadcastsNaming(Collection<UUID> eventIds) {
            Set<UUID> wanted = Set.copyOf(eventIds);
            return broadcasts().stream().filter(b -> b.eventIds().stream().anyMatch(wanted::contains)).toList();
        }

        @Override
        public void close() {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /**
     * The evictions a record names, a compact batch's scopes each as the per-group broadcast it stands for (with all
     * its event ids, whoever wrote them).
     */
    public static List<EvictionBroadcast> broadcastsIn(EvictionsTopicMessage message) {
        if (message instanceof EvictionBroadcast broadcast) {
            return List.of(broadcast);
        }
        if (message instanceof EvictionBatch batch) {
            return batch.scopes().stream().map(scope -> new EvictionBroadcast(scope.tenant(), scope.domain(),
                    scope.tags(), scope.fromSequence(), scope.toSequence(), scope.generation(),
                    scope.eventIdsByWriter().values().stream().flatMap(List::stream).toList(), batch.invalidatorId(),
                    batch.emittedAt(), scope.redisPending())).toList();
        }
        return List.of();
    }

    /** One record of the evictions topic: where it is, and what it says. */
    public record Message(int partition, long offset, EvictionsTopicMessage message) {

        /** The progress it reports: a heartbeat, or a compact batch's (applied after its scopes) if it has any. */
        public Optional<InvalidationProgress> progress() {
            if (message instanceof EvictionBatch batch && !batch.partitions().isEmpty()) {
                return Optional.of(batch.asProgress());
            }
            return message instanceof InvalidationProgress progress ? Optional.of(progress) : Optional.empty();
        }

        /** The evictions it names (none for a heartbeat). */
        public List<EvictionBroadcast> broadcasts() {
            return broadcastsIn(message);
        }
    }
}
