package io.cachebus.loadtest.invalidation;

import io.cachebus.events.EventCodec;
import io.cachebus.events.InvalidationProgress.PartitionProgress;
import io.cachebus.events.Topics;
import io.cachebus.invalidator.broadcast.EvictionBatches;
import io.cachebus.invalidator.coalescing.InvalidationGroup;
import io.cachebus.invalidator.coalescing.InvalidationGroup.CoalescedEvent;
import io.cachebus.invalidator.invalidation.InvalidationResult;
import io.cachebus.loadtest.kafka.HarnessKafkaClients;
import io.cachebus.local.kafka.KafkaBroker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * How long a compact broadcast's eviction takes to reach three nodes' consumers when its records are sent in
 * partition order against the order {@link EvictionBatches} gives them (the records with evictions first), on one
 * broker: the broadcast of one write whose domain is on the last evictions partition, as the invalidator's producer
 * sends it (acks all, idempotent, no linger), the two orders alternating so both meet the same machine. Each
 * consumer (a group of its own, as a node's) times the record with the eviction from its send. Not a test: run it by
 * hand, built as {@link InvalidatorThroughputComparison} says, with the number of broadcasts as its argument
 * (default 4,000):
 *
 * <pre>
 * java -cp load-test/target/test-classes:load-test/target/classes:$(cat load-test/target/test-classpath.txt) \
 *     io.cachebus.loadtest.invalidation.EvictionOrderComparison 4000
 * </pre>
 */
public final class EvictionOrderComparison {

    private static final int NODES = 3;
    private static final List<PartitionProgress> PROGRESS = List.of(new PartitionProgress(0, 1, 1));
    /** Sends are timed from here, so the time a generation carries is never negative. */
    private static final long ORIGIN = System.nanoTime();
    private static volatile boolean receiving = true;

    private EvictionOrderComparison() {
    }

    public static void main(String[] args) throws Exception {
        int broadcasts = args.length > 0 ? Integer.parseInt(args[0]) : 4_000;
        EventCodec codec = new EventCodec();
        List<List<Long>> nanosByOrder = List.of(new ArrayList<>(), new ArrayList<>());
        try (KafkaBroker kafka = KafkaBroker.start()) {
            int partitions = KafkaBroker.EVICTION_PARTITIONS;
            String tenant = IntStream.range(0, 1_000).mapToObj(i -> "t" + i)
                    .filter(t -> EvictionBatches.partitionOf(t + ":workflows", partitions) == partitions - 1)
                    .findFirst().orElseThrow();
            List<Thread> nodes = new ArrayList<>();
            for (int node = 0; node < NODES; node++) {
                KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerConfig(kafka.bootstrapServers()));
                consumer.subscribe(List.of(Topics.EVICTIONS));
                Thread thread = new Thread(() -> receive(consumer, tenant, nanosByOrder), "node-" + node);
                thread.start();
                nodes.add(thread);
            }
            Thread.sleep(8_000); // every consumer joined its group and sits at the end of the topic
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                    HarnessKafkaClients.producerAsTheServices(kafka.bootstrapServers(), StringSerializer.class))) {
                for (int i = 0; i < broadcasts; i++) {
                    int order = i % 2;
                    List<EvictionBatches.Addressed> records = EvictionBatches.of(List.of(invalidated(tenant, order)),
                            List.of(), PROGRESS, false, "invalidator-1", Instant.now(), partitions);
                    if (order == 0) {
                        records = records.stream().sorted(Comparator.comparingInt(EvictionBatches.Addressed::partition))
                                .toList();
                    }
                    List<Future<RecordMetadata>> acks = new ArrayList<>();
                    for (EvictionBatches.Addressed record : records) {
                        acks.add(producer.send(new ProducerRecord<>(Topics.EVICTIONS, record.partition(), null,
                                codec.encode(record.batch()))));
                    }
                    for (Future<RecordMetadata> ack : acks) {
                        ack.get();
                    }
                    Thread.sleep(5);
                }
            }
            Thread.sleep(1_000);
            receiving = false;
            for (Thread node : nodes) {
                node.join(5_000);
            }
        }
        print("in partition order", nanosByOrder.get(0));
        print("evictions first", nanosByOrder.get(1));
        System.exit(0);
    }

    /** The sequence carries the order, and the send's time (since {@link #ORIGIN}) travels as the generation. */
    private static InvalidationResult invalidated(String tenant, int order) {
        InvalidationGroup group = new InvalidationGroup(tenant, "workflows", List.of(),
                List.of(new CoalescedEvent(UUID.randomUUID(), order + 1, "api-1", Instant.now())), List.of("w1"));
        return new InvalidationResult(group, "generation", System.nanoTime() - ORIGIN, OptionalLong.empty(),
                Duration.ZERO);
    }

    private static void receive(KafkaConsumer<String, byte[]> consumer, String tenant, List<List<Long>> nanosByOrder) {
        EventCodec codec = new EventCodec();
        try (consumer) {
            while (receiving) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    long received = System.nanoTime();
                    codec.decodeEvictionBatch(record.value()).scopes().stream()
                            .filter(scope -> scope.tenant().equals(tenant)).forEach(scope -> {
                                synchronized (nanosByOrder) {
                                    nanosByOrder.get((int) scope.fromSequence() - 1)
                                            .add(received - ORIGIN - scope.generation());
                                }
                            });
                }
            }
        }
    }

    private static void print(String order, List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        System.out.printf(Locale.ROOT, "%-20s %,d evictions received: p50 %.3f ms, p90 %.3f ms, p99 %.3f ms%n", order,
                sorted.size(), at(sorted, 0.5), at(sorted, 0.9), at(sorted, 0.99));
    }

    private static double at(List<Long> sorted, double quantile) {
        return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(sorted.size() * quantile))) / 1e6;
    }

    private static Properties consumerConfig(String bootstrapServers) {
        Properties config = HarnessKafkaClients.consumer(bootstrapServers, StringDeserializer.class);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "eviction-order-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        return config;
    }
}
