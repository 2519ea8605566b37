package io.cachebus.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.events.CacheKeys;
import io.cachebus.events.DomainMutated;
import io.cachebus.events.EventCodec;
import io.cachebus.events.Operation;
import io.cachebus.events.Topics;
import io.cachebus.local.redis.RedisServer;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The foundation's end-to-end path on real infrastructure: publish a {@link DomainMutated}, consume it in a
 * consumer group, decode it and SCAN+DEL its prefix in a real redis-server. Run against any broker.
 */
final class SmokeScenario {

    private final EventCodec codec = new EventCodec();

    void run(String bootstrapServers, RedisServer redisServer) throws Exception {
        String tenant = "t1";
        try (RedisClient client = RedisClient.create(redisServer.uri());
             StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            redis.set(CacheKeys.key(tenant, "workflows", "list-a"), "[]");
            redis.set(CacheKeys.key(tenant, "workflows", "steps:w1"), "[]");
            redis.set(CacheKeys.key("t10", "workflows", "list-a"), "[]");
            redis.set(CacheKeys.key(tenant, "notifications", "unread"), "3");

            DomainMutated event = new DomainMutated(UUID.randomUUID(), tenant, "workflows", Operation.PATCH,
                    Optional.of("w1"), List.of(), Instant.now(), "smoke-node", 1);
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(Topics.DOMAIN_MUTATED, event.recordKey(), codec.encode(event))).get();
            }

            DomainMutated received = consumeOne(bootstrapServers, event.eventId());
            assertThat(received).isEqualTo(event);

            String pattern = CacheKeys.scanPattern(CacheKeys.prefix(received.tenant(), received.domain()));
            long removed = 0;
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page = redis.scan(cursor, ScanArgs.Builder.matches(pattern).limit(100));
                if (!page.getKeys().isEmpty()) {
                    removed += redis.del(page.getKeys().toArray(String[]::new));
                }
                cursor = page;
            } while (!cursor.isFinished());

            assertThat(removed).isEqualTo(2);
            assertThat(redis.exists(CacheKeys.key(tenant, "workflows", "list-a"))).isZero();
            assertThat(redis.exists(CacheKeys.key("t10", "workflows", "list-a")))
                    .as("t1's prefix must not reach tenant t10").isOne();
            assertThat(redis.exists(CacheKeys.key(tenant, "notifications", "unread"))).isOne();
        }
    }

    private DomainMutated consumeOne(String bootstrapServers, UUID eventId) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "smoke-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.DOMAIN_MUTATED));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    DomainMutated decoded = codec.decodeDomainMutated(record.value());
                    if (decoded.eventId().equals(eventId)) {
                        assertThat(record.key()).isEqualTo("t1:workflows");
                        consumer.commitSync();
                        return decoded;
                    }
                }
            }
        }
        throw new AssertionError("event " + eventId + " was not consumed within 30 s");
    }
}
