package io.cachebus.client.internal.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.client.testsupport.Node;
import io.cachebus.events.EventCodec;
import io.cachebus.events.Operation;
import io.cachebus.events.Topics;
import io.cachebus.local.kafka.KafkaBroker;
import io.cachebus.local.postgres.PostgresDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * Not part of the suite (its name matches no include): measures write-to-Kafka latency, from the end of a commit to
 * the event's arrival at a consumer of the mutation topic, with direct sends on and off, on one broker and one
 * database (PostgreSQL when it answers on 127.0.0.1:5432, else H2), in alternating rounds. Prints the percentiles;
 * it asserts only that every event arrived. Run: {@code ./mvnw -q -B -o -pl cache-client -am test
 * -Dtest=OutboxPublishLatencyMeasurement -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class OutboxPublishLatencyMeasurement {

    private static final int ROUNDS = 4;
    private static final int WRITES_PER_ROUND = 150;
    private static final Duration PAUSE_BETWEEN_WRITES = Duration.ofMillis(5);

    @Test
    void writeToKafkaLatencyWithDirectSendsOnAndOff() throws Exception {
        try (KafkaBroker kafka = KafkaBroker.start()) {
            PostgresDatabase postgres = PostgresDatabase.isReachable() ? PostgresDatabase.create("latency") : null;
            String database = postgres != null ? postgres.jdbcUrl()
                    : Node.Builder.h2("latency-" + UUID.randomUUID(), true);
            Map<UUID, Long> arrivals = new ConcurrentHashMap<>();
            AtomicBoolean reading = new AtomicBoolean(true);
            Thread reader = new Thread(() -> read(kafka.bootstrapServers(), arrivals, reading), "latency-reader");
            reader.start();
            Node direct = node("latency-direct", true, kafka, database, postgres).start();
            Node relayed = node("latency-relayed", false, kafka, database, postgres).start();
            try {
                List<Long> directLatencies = new ArrayList<>();
                List<Long> relayedLatencies = new ArrayList<>();
                round(direct, arrivals); // warm-up of both, not counted
                round(relayed, arrivals);
                for (int i = 0; i < ROUNDS; i++) {
                    directLatencies.addAll(round(direct, arrivals));
                    relayedLatencies.addAll(round(relayed, arrivals));
                }
                String on = summary(directLatencies);
                String off = summary(relayedLatencies);
                double ratio = (double) percentile(relayedLatencies, 50) / percentile(directLatencies, 50);
                System.out.printf("%noutbox write-to-Kafka latency (%s, %d writes each)%n  direct send on:  %s%n"
                        + "  direct send off: %s%n  p50 off/on = %.1f, p99 off/on = %.1f%n%n",
                        postgres != null ? "PostgreSQL" : "H2", directLatencies.size(), on, off, ratio,
                        (double) percentile(relayedLatencies, 99) / percentile(directLatencies, 99));
            } finally {
                reading.set(false);
                reader.join(10_000);
                direct.close();
                relayed.close();
                if (postgres != null) {
                    postgres.close();
                }
            }
        }
    }

    private static Node.Builder node(String name, boolean directSend, KafkaBroker kafka, String database,
            PostgresDatabase postgres) {
        Node.Builder node = Node.named(name).kafka(kafka.bootstrapServers()).database(database)
                .property("cachebus.outbox.direct-send.enabled", directSend);
        if (postgres != null) {
            node.property("spring.datasource.username", postgres.user());
        }
        return node;
    }

    /** Latencies in microseconds, from the end of each commit to its event's arrival. */
    private static List<Long> round(Node node, Map<UUID, Long> arrivals) throws InterruptedException {
        String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
        Map<UUID, Long> committed = new ConcurrentHashMap<>();
        for (int i = 0; i < WRITES_PER_ROUND; i++) {
            UUID eventId = node.transactions().execute(status -> node.publisher()
                    .recordMutation(tenant, "workflows", Operation.PATCH, "w1").eventId());
            committed.put(eventId, System.nanoTime());
            Thread.sleep(PAUSE_BETWEEN_WRITES.toMillis());
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!arrivals.keySet().containsAll(committed.keySet()) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(arrivals.keySet()).containsAll(committed.keySet());
        List<Long> latencies = new ArrayList<>();
        committed.forEach((id, at) -> latencies.add(Math.max(0, arrivals.get(id) - at) / 1_000));
        return latencies;
    }

    private static void read(String bootstrapServers, Map<UUID, Long> arrivals, AtomicBoolean reading) {
        EventCodec codec = new EventCodec();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "latency-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.DOMAIN_MUTATED));
            while (reading.get()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(20))) {
                    arrivals.putIfAbsent(codec.decodeDomainMutated(record.value()).eventId(), System.nanoTime());
                }
            }
        }
    }

    private static String summary(List<Long> micros) {
        return String.format("p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms", percentile(micros, 50) / 1000.0,
                percentile(micros, 90) / 1000.0, percentile(micros, 99) / 1000.0, percentile(micros, 100) / 1000.0);
    }

    private static long percentile(List<Long> values, int percentile) {
        long[] sorted = values.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
