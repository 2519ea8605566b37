package io.cachebus.client.internal.eviction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cachebus.client.CacheKey;
import io.cachebus.client.Tier;
import io.cachebus.client.testsupport.Node;
import io.cachebus.client.testsupport.Workflow;
import io.cachebus.events.EventCodec;
import io.cachebus.events.EvictionBatch;
import io.cachebus.events.EvictionBroadcast;
import io.cachebus.events.InvalidationProgress.PartitionProgress;
import io.cachebus.events.Tag;
import io.cachebus.events.Topics;
import io.cachebus.local.junit.LocalKafkaExtension;
import io.cachebus.local.junit.RedisServerExtension;
import io.cachebus.local.kafka.KafkaBroker;
import io.cachebus.local.redis.RedisServer;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;

/** Every node receives every broadcast through its own subscription, on the real broker. */
@ExtendWith({RedisServerExtension.class, LocalKafkaExtension.class})
class EvictionBroadcastTest {

    private static final Duration DELIVERY = Duration.ofSeconds(30);
    private static final EventCodec CODEC = new EventCodec();
    /** Mutation partitions only the gap tests report, far above the test broker's. */
    private static final int GAP_PARTITION = 1_001;
    private static final int OVERLAP_PARTITION = 1_002;

    private static Node nodeA;
    private static Node nodeB;
    private static KafkaProducer<String, byte[]> producer;

    @BeforeAll
    static void startNodes(RedisServer redis, KafkaBroker kafka) {
        nodeA = Node.named("evict-a").redis(redis).kafka(kafka.bootstrapServers()).evictions().start();
        nodeB = Node.named("evict-b").redis(redis).kafka(kafka.bootstrapServers()).evictions().start();
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
        for (Node node : List.of(nodeA, nodeB)) {
            await().atMost(DELIVERY).until(() -> node.evictionListener().assignments() >= 1);
        }
    }

    @AfterAll
    static void stopNodes() {
        producer.close();
        nodeA.close();
        nodeB.close();
    }

    @Test
    void aBroadcastEvictsItsTenantsDomainOnEveryNodeAndNothingElse() {
        CacheKey t1Workflows = CacheKey.of("t1", "workflows").resource("/api/workflows").build();
        CacheKey t1Steps = CacheKey.of("t1", "workflows").derived("steps").resource("/api/workflows/w1/steps").build();
        CacheKey t10Workflows = CacheKey.of("t10", "workflows").resource("/api/workflows").build();
        CacheKey t1Notifications = CacheKey.of("t1", "notifications").resource("/api/notifications").build();
        List<CacheKey> all = List.of(t1Workflows, t1Steps, t10Workflows, t1Notifications);
        for (Node node : List.of(nodeA, nodeB)) {
            all.forEach(key -> read(node, key));
            all.forEach(key -> assertThat(read(node, key)).as("%s warm", key).isEqualTo(Tier.L1));
        }

        publishAndAwait(broadcast("t1", "workflows", List.of(), 1, 1));

        for (Node node : List.of(nodeA, nodeB)) {
            assertThat(read(node, t1Workflows)).isNotEqualTo(Tier.L1);
            assertThat(read(node, t1Steps)).as("derived data lives under its domain").isNotEqualTo(Tier.L1);
            assertThat(read(node, t10Workflows)).as("another tenant").isEqualTo(Tier.L1);
            assertThat(read(node, t1Notifications)).as("another domain").isEqualTo(Tier.L1);
        }
    }

    @Test
    void aBroadcastNamingATagOfAnotherDomainEvictsThatTag() {
        String tenant = newTenant();
        CacheKey unread = unreadCountKey(tenant);
        CacheKey list = CacheKey.of(tenant, "notifications").resource("/api/notifications").build();
        read(nodeA, unread);
        read(nodeA, list);

        publishAndAwait(broadcast(tenant, "workflows", List.of(new Tag("notifications", "unread-count")), 1, 1));

        assertThat(read(nodeA, unread)).isNotEqualTo(Tier.L1);
        assertThat(read(nodeA, list)).isEqualTo(Tier.L1);
    }

    @Test
    void aReportVouchingForOneANodeNeverReadDropsEverythingLocalOnEveryNode() {
        String tenant = newTenant();
        String otherTenant = newTenant();
        CacheKey notifications = CacheKey.of(tenant, "notifications").resource("/api/notifications").build();
        CacheKey otherTenantsWorkflows = CacheKey.of(otherTenant, "workflows").resource("/api/workflows").build();
        publishAndAwait(0, progressBatch(new PartitionProgress(GAP_PARTITION, 100)));
        publishAndAwait(0, progressBatch(new PartitionProgress(GAP_PARTITION, 200, 100)));
        double gapsA = nodeA.count(EvictionBroadcastHandler.GAPS);
        double gapsB = nodeB.count(EvictionBroadcastHandler.GAPS);
        for (Node node : List.of(nodeA, nodeB)) {
            for (CacheKey key : List.of(notifications, otherTenantsWorkflows)) {
                read(node, key);
                assertThat(read(node, key)).as("%s warm", key).isEqualTo(Tier.L1);
            }
        }

        // the report through 300 was in partition 0 before this one: the nodes skipped it, and whatever came with it
        publishAndAwait(0, progressBatch(new PartitionProgress(GAP_PARTITION, 400, 300)));

        for (Node node : List.of(nodeA, nodeB)) {
            assertThat(read(node, notifications)).as("a domain no scope named").isNotEqualTo(Tier.L1);
            assertThat(read(node, otherTenantsWorkflows)).as("any tenant").isNotEqualTo(Tier.L1);
        }
        assertThat(nodeA.count(EvictionBroadcastHandler.GAPS)).isEqualTo(gapsA + 1);
        assertThat(nodeB.count(EvictionBroadcastHandler.GAPS)).isEqualTo(gapsB + 1);
    }

    @Test
    void offsetsCoveredAgainByTheNextHolderOfAPartitionAreNoGap() {
        String tenant = newTenant();
        CacheKey key = CacheKey.of(tenant, "notifications").resource("/api/notifications").build();
        publishAndAwait(1, progressBatch(new PartitionProgress(OVERLAP_PARTITION, 500, 400)));
        read(nodeA, key);
        double gaps = nodeA.count(EvictionBroadcastHandler.GAPS);

        // another invalidator took the partition over from the committed offset: it vouches for nothing, then for its own
        publishAndAwait(1, progressBatch(new PartitionProgress(OVERLAP_PARTITION, 450)));
        publishAndAwait(1, progressBatch(new PartitionProgress(OVERLAP_PARTITION, 480, 450)));
        publishAndAwait(1, progressBatch(new PartitionProgress(OVERLAP_PARTITION, 600, 500)));

        assertThat(nodeA.count(EvictionBroadcastHandler.GAPS)).isEqualTo(gaps);
        assertThat(read(nodeA, key)).isEqualTo(Tier.L1);
    }

    @Test
    void aMalformedBroadcastIsSkippedAndTheNextOneStillApplies() {
        double malformed = nodeA.count(EvictionBroadcastHandler.MALFORMED);
        String tenant = newTenant();
        CacheKey key = CacheKey.of(tenant, "workflows").resource("/api/workflows").build();
        read(nodeA, key);

        send(tenant + ":workflows", "{\"schema\":1,\"type\":\"eviction\",\"tenant\":\"t1*\"}"
                .getBytes(StandardCharsets.UTF_8));
        send(tenant + ":workflows", "not json".getBytes(StandardCharsets.UTF_8));
        publishAndAwait(broadcast(tenant, "workflows", List.of(), 1, 1));

        assertThat(nodeA.count(EvictionBroadcastHandler.MALFORMED)).isEqualTo(malformed + 2);
        assertThat(read(nodeA, key)).isNotEqualTo(Tier.L1);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aReassignedSubscriptionDropsEverythingLocalOnThatNodeOnly() {
        String tenant = newTenant();
        CacheKey key = CacheKey.of(tenant, "workflows").resource("/api/workflows").build();
        read(nodeA, key);
        read(nodeB, key);
        int assignments = nodeA.evictionListener().assignments();

        KafkaMessageListenerContainer<String, byte[]> container =
                nodeA.context().getBean("cachebusEvictionListenerContainer", KafkaMessageListenerContainer.class);
        container.stop();
        container.start();
        await().atMost(DELIVERY).until(() -> nodeA.evictionListener().assignments() > assignments);

        assertThat(read(nodeA, key)).isNotEqualTo(Tier.L1);
        assertThat(read(nodeB, key)).isEqualTo(Tier.L1);
        assertThat(nodeA.count(EvictionBroadcastHandler.REASSIGNMENTS)).isGreaterThanOrEqualTo(2);
        // and the restarted subscription still receives broadcasts
        publishAndAwait(broadcast(tenant, "workflows", List.of(), 1, 1));
        assertThat(read(nodeA, key)).isNotEqualTo(Tier.L1);
    }

    @Test
    void aBatchEvictsEachOfItsScopesOnEveryNodeAndNothingElseAndTimesItsPropagation() {
        String tenant = newTenant();
        String otherTenant = newTenant();
        CacheKey workflows = CacheKey.of(tenant, "workflows").resource("/api/workflows").build();
        CacheKey unread = unreadCountKey(otherTenant);
        CacheKey untouched = CacheKey.of(tenant, "notifications").resource("/api/notifications").build();
        List<CacheKey> all = List.of(workflows, unread, untouched);
        for (Node node : List.of(nodeA, nodeB)) {
            all.forEach(key -> read(node, key));
            all.forEach(key -> assertThat(read(node, key)).as("%s warm", key).isEqualTo(Tier.L1));
        }
        long timedA = propagation(nodeA).count();
        long timedB = propagation(nodeB).count();
        Map<Node, Long> deliveredBefore = Map.of(nodeA, delivery(nodeA).count(), nodeB, delivery(nodeB).count());
        Instant committed = Instant.now().minusMillis(20);

        EvictionBatch batch = new EvictionBatch("test-invalidator", List.of(), List.of(
                new EvictionBatch.ScopeEviction(tenant, "workflows", List.of(), 1, 2, 0, 2, Map.of(), false),
                new EvictionBatch.ScopeEviction(otherTenant, "workflows", List.of(new Tag("notifications",
                        "unread-count")), 1, 1, 0, 1, Map.of(), false)),
                Optional.of(new EvictionBatch.CommittedRange(committed, committed.plusMillis(5))), Instant.now(), false);
        double receivedA = nodeA.count(EvictionBroadcastHandler.RECEIVED);
        double receivedB = nodeB.count(EvictionBroadcastHandler.RECEIVED);
        send(null, CODEC.encode(batch));
        await().atMost(DELIVERY).until(() -> nodeA.count(EvictionBroadcastHandler.RECEIVED) >= receivedA + 2
                && nodeB.count(EvictionBroadcastHandler.RECEIVED) >= receivedB + 2);

        for (Node node : List.of(nodeA, nodeB)) {
            assertThat(read(node, workflows)).isNotEqualTo(Tier.L1);
            assertThat(read(node, unread)).as("a tag of the second scope").isNotEqualTo(Tier.L1);
            assertThat(read(node, untouched)).as("a domain no scope names").isEqualTo(Tier.L1);
        }
        for (Map.Entry<Node, Long> timed : Map.of(nodeA, timedA, nodeB, timedB).entrySet()) {
            Timer timer = propagation(timed.getKey());
            assertThat(timer.count()).as("one propagation per batch").isEqualTo(timed.getValue() + 1);
            assertThat(timer.max(TimeUnit.MILLISECONDS)).as("from the oldest commit").isGreaterThanOrEqualTo(20);
            assertThat(timer.takeSnapshot().histogramCounts()).as("a percentile histogram").isNotEmpty();
            Timer delivered = delivery(timed.getKey());
            assertThat(delivered.count()).as("the broadcast's own stretch, from its record's create time")
                    .isEqualTo(deliveredBefore.get(timed.getKey()) + 1);
            assertThat(delivered.takeSnapshot().histogramCounts()).as("a percentile histogram").isNotEmpty();
        }
    }

    /**
     * A compact batch on {@code partition} with one scope of a tenant of its own (the nodes count its arrival) and the
     * given progress, of mutation partitions no other test reports.
     */
    private static EvictionBatch progressBatch(PartitionProgress progress) {
        Instant now = Instant.now();
        return new EvictionBatch("test-invalidator", List.of(progress), List.of(new EvictionBatch.ScopeEviction(
                newTenant(), "workflows", List.of(), 1, 1, 0, 1, Map.of(), false)),
                Optional.of(new EvictionBatch.CommittedRange(now, now)), now, false);
    }

    /** Sends a batch to an evictions partition and waits until both nodes applied it. */
    private static void publishAndAwait(int partition, EvictionBatch batch) {
        double receivedA = nodeA.count(EvictionBroadcastHandler.RECEIVED);
        double receivedB = nodeB.count(EvictionBroadcastHandler.RECEIVED);
        try {
            producer.send(new ProducerRecord<>(Topics.EVICTIONS, partition, null, CODEC.encode(batch)))
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not publish to " + Topics.EVICTIONS, e);
        }
        await().atMost(DELIVERY).until(() -> nodeA.count(EvictionBroadcastHandler.RECEIVED) > receivedA
                && nodeB.count(EvictionBroadcastHandler.RECEIVED) > receivedB);
    }

    private static Timer propagation(Node node) {
        return node.meters().get(EvictionBroadcastHandler.PROPAGATION).timer();
    }

    private static Timer delivery(Node node) {
        return node.meters().get(EvictionBroadcastHandler.BROADCAST_DELIVERY).timer();
    }

    /** Sends a broadcast and waits until both nodes applied it. */
    private static void publishAndAwait(EvictionBroadcast broadcast) {
        double receivedA = nodeA.count(EvictionBroadcastHandler.RECEIVED);
        double receivedB = nodeB.count(EvictionBroadcastHandler.RECEIVED);
        send(broadcast.recordKey(), CODEC.encode(broadcast));
        await().atMost(DELIVERY).until(() -> nodeA.count(EvictionBroadcastHandler.RECEIVED) > receivedA
                && nodeB.count(EvictionBroadcastHandler.RECEIVED) > receivedB);
    }

    private static void send(String key, byte[] payload) {
        try {
            producer.send(new ProducerRecord<>(Topics.EVICTIONS, key, payload)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not publish to " + Topics.EVICTIONS, e);
        }
    }

    private static EvictionBroadcast broadcast(String tenant, String domain, List<Tag> tags, long from, long to) {
        return new EvictionBroadcast(tenant, domain, tags, from, to, 0, List.of(UUID.randomUUID()),
                "test-invalidator", Instant.now());
    }

    private static Tier read(Node node, CacheKey key) {
        return node.read(key, Workflow.class, () -> Workflow.named("v")).tier();
    }

    private static CacheKey unreadCountKey(String tenant) {
        return CacheKey.of(tenant, "notifications").derived("unread-count").resource("/api/notifications/unread-count")
                .build();
    }

    private static String newTenant() {
        return "t-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
