package io.cachebus.client.internal.consistency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cachebus.client.CacheKey;
import io.cachebus.client.Tier;
import io.cachebus.client.internal.tiered.CacheInstrumentation;
import io.cachebus.client.testsupport.Node;
import io.cachebus.client.testsupport.Workflow;
import io.cachebus.events.EventCodec;
import io.cachebus.events.EvictionBroadcast;
import io.cachebus.events.InvalidationProgress;
import io.cachebus.events.InvalidationProgress.PartitionProgress;
import io.cachebus.local.junit.LocalKafkaExtension;
import io.cachebus.local.junit.RedisServerExtension;
import io.cachebus.local.kafka.BusTopics;
import io.cachebus.local.kafka.KafkaBroker;
import io.cachebus.local.redis.RedisServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The node's side of the staleness bound on the real broker: the test plays the invalidators, publishing progress to
 * every evictions partition, and moves the mutation topic's end offsets by producing to it. The node serves from its
 * caches exactly while progress covers the end offsets, per partition, and reads through otherwise.
 */
@ExtendWith({RedisServerExtension.class, LocalKafkaExtension.class})
class StalenessGateOnBrokerTest {

    private static final Duration BOUND = Duration.ofSeconds(1);
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final EventCodec CODEC = new EventCodec();

    private static BusTopics topics;
    private static Node node;
    private static KafkaProducer<String, byte[]> producer;
    private static ScheduledExecutorService heartbeats;
    /** What the test's stand-in invalidator claims, per mutation partition. */
    private static final AtomicLongArray claimed = new AtomicLongArray(KafkaBroker.MUTATION_PARTITIONS);
    private static final AtomicBoolean reportingPending = new AtomicBoolean();

    @BeforeAll
    static void start(RedisServer redis, KafkaBroker kafka) {
        topics = BusTopics.create(kafka, "gate");
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 0),
                new StringSerializer(), new ByteArraySerializer());
        node = Node.named("gate").redis(redis).kafka(kafka.bootstrapServers()).topics(topics).evictions()
                .stalenessBound(BOUND).start();
        await().atMost(WAIT).until(() -> node.evictionListener().assignments() >= 1);
        heartbeats = Executors.newSingleThreadScheduledExecutor();
        heartbeats.scheduleWithFixedDelay(StalenessGateOnBrokerTest::publishProgress, 0, 100, TimeUnit.MILLISECONDS);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        heartbeats.shutdownNow();
        heartbeats.awaitTermination(5, TimeUnit.SECONDS);
        node.close();
        producer.close();
    }

    @Test
    void aPartitionWhoseInvalidationsStallGoesToTheDatabaseAndComesBackByItself() {
        String tenant = newTenant();
        CacheKey onStalled = CacheKey.of(tenant, "workflows").resource("/api/workflows").build();
        int stalled = partitionOf(onStalled);
        CacheKey elsewhere = IntStream.range(0, 200)
                .mapToObj(i -> CacheKey.of(tenant, "domain" + i).resource("/api/x").build())
                .filter(key -> partitionOf(key) != stalled).findFirst().orElseThrow();
        CacheKey tagged = CacheKey.of(tenant, elsewhere.domain()).derived("counts").resource("/api/x/counts").build();
        awaitCachedReads(List.of(onStalled, elsewhere, tagged));

        long mutation = produceMutation(stalled); // a write the stand-in invalidator never reports
        double readThrough = node.count(CacheInstrumentation.READ_THROUGH, "domain", "workflows");
        await().atMost(WAIT).until(() -> read(onStalled) == Tier.LOADER);

        assertThat(node.count(CacheInstrumentation.READ_THROUGH, "domain", "workflows")).isGreaterThan(readThrough);
        assertThat(read(onStalled)).as("every read, not only the first").isEqualTo(Tier.LOADER);
        assertThat(read(elsewhere)).as("a domain on a current partition keeps its cache").isEqualTo(Tier.L1);
        assertThat(read(tagged)).as("a tag can be named on any partition").isEqualTo(Tier.LOADER);
        assertThat(node.meters().get(FreshnessProbe.LAG).gauge().value()).isGreaterThan(BOUND.toSeconds());
        assertThat(node.cachebusHealth().getDetails()).containsEntry("stalenessBound", "behind, reading through")
                .containsEntry("degraded", true);

        claimed.set(stalled, mutation + 1); // the invalidator catches up
        awaitCachedReads(List.of(onStalled, tagged));
        assertThat(node.cachebusHealth().getDetails()).containsEntry("stalenessBound", "within");
    }

    @Test
    void withoutAnyProgressTheNodeServesNothingFromItsCaches() {
        String tenant = newTenant();
        CacheKey key = CacheKey.of(tenant, "workflows").resource("/api/workflows").build();
        awaitCachedReads(List.of(key));
        long[] produced = new long[claimed.length()];
        for (int p = 0; p < produced.length; p++) {
            claimed.set(p, -1); // the stand-in reports nothing any more
        }
        try {
            for (int p = 0; p < produced.length; p++) {
                produced[p] = produceMutation(p);
            }
            await().atMost(WAIT).until(() -> read(key) == Tier.LOADER);
        } finally {
            for (int p = 0; p < produced.length; p++) {
                claimed.set(p, produced[p] + 1); // caught up again
            }
        }
        awaitCachedReads(List.of(key));
    }

    @Test
    void scopesWhoseRedisWorkIsPendingSkipRedisUntilNoInvalidatorReportsPendingWork() {
        String tenant = newTenant();
        CacheKey key = CacheKey.of(tenant, "workflows").resource("/api/workflows").build();
        awaitCachedReads(List.of(key));
        reportingPending.set(true);
        try {
            publish(new EvictionBroadcast(tenant, "workflows", List.of(), 1, 1, 0, List.of(UUID.randomUUID()),
                    "stand-in", Instant.now(), true));
            await().atMost(WAIT).until(() -> read(key) != Tier.L1);
            for (int i = 0; i < 3; i++) {
                node.context().getBean(io.cachebus.client.TieredCache.class).evictLocal(tenant, "workflows");
                assertThat(read(key)).as("Redis may still hold the old entry").isNotEqualTo(Tier.L2_REDIS);
            }
        } finally {
            reportingPending.set(false);
        }
        // once no invalidator reports pending work, Redis is used again
        await().atMost(WAIT).until(() -> {
            node.context().getBean(io.cachebus.client.TieredCache.class).evictLocal(tenant, "workflows");
            return read(key) == Tier.L2_REDIS;
        });
    }

    private static void awaitCachedReads(List<CacheKey> keys) {
        for (CacheKey key : keys) {
            await().atMost(WAIT).until(() -> read(key) == Tier.L1);
        }
    }

    private static Tier read(CacheKey key) {
        return node.read(key, Workflow.class, () -> Workflow.named("v")).tier();
    }

    private static int partitionOf(CacheKey key) {
        return MutationPartitioner.partitionOf(key.tenant(), key.domain(), KafkaBroker.MUTATION_PARTITIONS);
    }

    /** A record on the mutation topic: its content does not matter to the end offsets. Returns its offset. */
    private static long produceMutation(int partition) {
        try {
            return producer.send(new ProducerRecord<>(topics.mutations(), partition, "k", new byte[] {1}))
                    .get(30, TimeUnit.SECONDS).offset();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void publish(EvictionBroadcast broadcast) {
        try {
            producer.send(new ProducerRecord<>(topics.evictions(), broadcast.recordKey(), CODEC.encode(broadcast)))
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** What an invalidator does every 100 ms: its progress to every evictions partition. */
    private static void publishProgress() {
        List<PartitionProgress> partitions = new ArrayList<>();
        for (int p = 0; p < claimed.length(); p++) {
            long offset = claimed.get(p);
            if (offset >= 0) {
                partitions.add(new PartitionProgress(p, offset));
            }
        }
        byte[] payload = CODEC.encode(new InvalidationProgress("stand-in", partitions, Instant.now(),
                reportingPending.get()));
        for (int e = 0; e < KafkaBroker.EVICTION_PARTITIONS; e++) {
            producer.send(new ProducerRecord<>(topics.evictions(), e, "progress", payload));
        }
    }

    private static String newTenant() {
        return "t-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
