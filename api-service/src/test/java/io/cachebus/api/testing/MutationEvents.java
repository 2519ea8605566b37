package io.cachebus.api.testing;

import static org.awaitility.Awaitility.await;

import io.cachebus.events.DomainMutated;
import io.cachebus.events.EventCodec;
import io.cachebus.events.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the mutation topic from its current end in the background and keeps every {@link DomainMutated}
 * that arrives, so a test can check what the node published, through the outbox and the real broker.
 */
public final class MutationEvents implements AutoCloseable {

    private final EventCodec codec = new EventCodec();
    private final List<DomainMutated> received = new CopyOnWriteArrayList<>();
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread poller;
    private volatile boolean running = true;

    public MutationEvents(String bootstrapServers) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "api-test-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.DOMAIN_MUTATED, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        poller = new Thread(this::poll, "mutation-events");
        poller.setDaemon(true);
        poller.start();
    }

    private void poll() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    received.add(codec.decodeDomainMutated(record.value()));
                }
            }
        } catch (WakeupException stopping) {
            // close() woke us up
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    public List<DomainMutated> of(String tenant) {
        return received.stream().filter(e -> e.tenant().equals(tenant)).toList();
    }

    /** Waits until an event matching {@code condition} arrived and returns it. */
    public DomainMutated awaitEvent(String description, Predicate<DomainMutated> condition) {
        return await().alias(description).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> received.stream().filter(condition).findFirst(), Optional::isPresent)
                .orElseThrow();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        poller.join(10_000);
    }
}
