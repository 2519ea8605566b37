package io.cachebus.client.internal.eviction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cachebus.client.CacheKey;
import io.cachebus.client.Tier;
import io.cachebus.client.testsupport.Node;
import io.cachebus.client.testsupport.Read;
import io.cachebus.client.testsupport.Workflow;
import io.cachebus.client.internal.tiered.ReadYourWrites;
import io.cachebus.events.CacheKeys;
import io.cachebus.events.DomainMutated;
import io.cachebus.events.EventCodec;
import io.cachebus.events.EvictionBroadcast;
import io.cachebus.events.Operation;
import io.cachebus.events.Topics;
import io.cachebus.local.junit.LocalKafkaExtension;
import io.cachebus.local.junit.RedisServerExtension;
import io.cachebus.local.kafka.KafkaBroker;
import io.cachebus.local.redis.RedisServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The whole loop on real infrastructure, with a minimal stand-in for the invalidator that follows the Redis
 * contract (INCR the domain's counter, then broadcast): a write committed on node A reaches node B's L1.
 */
@ExtendWith({RedisServerExtension.class, LocalKafkaExtension.class})
class MutationToEvictionTest {

    private static final EventCodec CODEC = new EventCodec();

    private static RedisServer redis;
    private static Node nodeA;
    private static Node nodeB;
    private static Thread invalidator;
    private static final AtomicBoolean running = new AtomicBoolean(true);
    private static final String TENANT = "t-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void start(RedisServer server, KafkaBroker kafka) throws InterruptedException {
        redis = server;
        String database = Node.Builder.h2("loop-" + UUID.randomUUID(), true);
        nodeA = Node.named("loop-a").redis(server).kafka(kafka.bootstrapServers()).database(database).evictions().start();
        nodeB = Node.named("loop-b").redis(server).kafka(kafka.bootstrapServers()).database(database).evictions().start();
        nodeA.jdbc().execute("CREATE TABLE workflow (tenant VARCHAR(64), id VARCHAR(64), name VARCHAR(64))");
        nodeA.jdbc().update("INSERT INTO workflow VALUES (?, 'w1', 'v1')", TENANT);
        for (Node node : List.of(nodeA, nodeB)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> node.evictionListener().assignments() >= 1);
        }
        invalidator = new Thread(() -> invalidate(kafka.bootstrapServers()), "test-invalidator");
        invalidator.start();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        running.set(false);
        invalidator.join(10_000);
        nodeA.close();
        nodeB.close();
    }

    @Test
    void aWriteOnNodeAEvictsTheEntryOnNodeB() {
        CacheKey key = CacheKey.of(TENANT, "workflows").resource("/api/workflows/w1").build();
        assertThat(read(nodeB, key)).isEqualTo(new Read<>(Workflow.named("v1"), Tier.LOADER));
        assertThat(read(nodeB, key)).isEqualTo(new Read<>(Workflow.named("v1"), Tier.L1));

        nodeA.transactions().executeWithoutResult(status -> {
            nodeA.jdbc().update("UPDATE workflow SET name = 'v2' WHERE tenant = ? AND id = 'w1'", TENANT);
            nodeA.publisher().recordMutation(TENANT, "workflows", Operation.PATCH, "w1");
        });

        assertThat(read(nodeA, key).value()).as("read-your-writes on A at once").isEqualTo(Workflow.named("v2"));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> read(nodeB, key).value().equals(Workflow.named("v2")));
        await().atMost(Duration.ofSeconds(30)).until(() -> nodeA.bean(ReadYourWrites.class).pending() == 0);
        assertThat(read(nodeA, key)).as("back on Redis after the broadcast").extracting(Read::value)
                .isEqualTo(Workflow.named("v2"));
    }

    private static Read<Workflow> read(Node node, CacheKey key) {
        return node.read(key, Workflow.class, () -> Workflow.named(node.jdbc().queryForObject(
                "SELECT name FROM workflow WHERE tenant = ? AND id = 'w1'", String.class, key.tenant())));
    }

    /** Per event of this test's tenant: INCR the domain counter, then broadcast, as the contract says. */
    private static void invalidate(String bootstrapServers) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                     ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                     ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer());
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ProducerConfig.ACKS_CONFIG, "all"),
                     new StringSerializer(), new ByteArraySerializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.DOMAIN_MUTATED, Duration.ofSeconds(30))
                    .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (running.get()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    DomainMutated event = CODEC.decodeDomainMutated(record.value());
                    if (!event.tenant().equals(TENANT)) {
                        continue;
                    }
                    long generation = Long.parseLong(redis.command("INCR",
                            CacheKeys.generationKeyOfDomain(event.tenant(), event.domain())).substring(1));
                    EvictionBroadcast broadcast = new EvictionBroadcast(event.tenant(), event.domain(), event.tags(),
                            event.sequence(), event.sequence(), generation, List.of(event.eventId()),
                            "test-invalidator", Instant.now());
                    producer.send(new ProducerRecord<>(Topics.EVICTIONS, broadcast.recordKey(),
                            CODEC.encode(broadcast))).get();
                }
            }
        } catch (Exception e) {
            if (running.get()) {
                throw new IllegalStateException("test invalidator failed", e);
            }
        }
    }
}
