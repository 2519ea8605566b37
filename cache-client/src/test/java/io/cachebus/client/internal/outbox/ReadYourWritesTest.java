package io.cachebus.client.internal.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.client.CacheKey;
import io.cachebus.client.autoconfigure.NodeIdentity;
import io.cachebus.client.Tier;
import io.cachebus.client.internal.consistency.InvalidationWatermarks;
import io.cachebus.client.internal.eviction.EvictionBroadcastHandler;
import io.cachebus.client.internal.eviction.EvictionListener;
import io.cachebus.client.internal.tiered.ReadYourWrites;
import io.cachebus.client.testsupport.Node;
import io.cachebus.client.testsupport.Read;
import io.cachebus.client.testsupport.Workflow;
import io.cachebus.events.CacheKeys;
import io.cachebus.events.DomainMutated;
import io.cachebus.events.EventCodec;
import io.cachebus.events.EvictionBatch;
import io.cachebus.events.EvictionBroadcast;
import io.cachebus.events.Operation;
import io.cachebus.events.Topics;
import io.cachebus.local.junit.LocalKafkaExtension;
import io.cachebus.local.junit.RedisServerExtension;
import io.cachebus.local.kafka.KafkaBroker;
import io.cachebus.local.redis.RedisServer;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Invariant 2: after a write committed on a node, that node's next read returns the new data at once, before the
 * invalidation has come back through Kafka; neither its L1 nor Redis (which still holds the old entry) answers.
 * Two nodes share one database and one Redis; no invalidator runs, so no broadcast arrives unless the test sends it.
 */
@ExtendWith({RedisServerExtension.class, LocalKafkaExtension.class})
class ReadYourWritesTest {

    private static RedisServer redis;
    private static Node writer;
    private static Node other;

    @BeforeAll
    static void startNodes(RedisServer server, KafkaBroker kafka) {
        redis = server;
        String database = Node.Builder.h2("ryw-" + UUID.randomUUID(), true);
        writer = Node.named("ryw-writer").redis(server).kafka(kafka.bootstrapServers()).database(database).start();
        other = Node.named("ryw-other").redis(server).kafka(kafka.bootstrapServers()).database(database).start();
        writer.jdbc().execute("CREATE TABLE workflow (tenant VARCHAR(64), id VARCHAR(64), name VARCHAR(64))");
    }

    @AfterAll
    static void stopNodes() {
        writer.close();
        other.close();
    }

    @Test
    void theWritingNodeReadsItsWriteBeforeAnyBroadcastWhileRedisStillHoldsTheOldEntry() {
        String tenant = newTenant();
        insert(tenant, "v1");
        CacheKey key = keyOf(tenant);
        assertThat(read(writer, key)).isEqualTo(new Read<>(Workflow.named("v1"), Tier.LOADER));
        assertThat(read(writer, key).tier()).isEqualTo(Tier.L1);
        assertThat(read(other, key)).isEqualTo(new Read<>(Workflow.named("v1"), Tier.L2_REDIS));

        DomainMutated write = rename(tenant, "v2", false);

        assertThat(read(writer, key)).as("neither L1 nor Redis: the loader, so the new data")
                .isEqualTo(new Read<>(Workflow.named("v2"), Tier.LOADER));
        assertThat(read(writer, key)).isEqualTo(new Read<>(Workflow.named("v2"), Tier.L1));
        assertThat(read(other, key)).as("the other node waits for the broadcast (bounded staleness, not RYW)")
                .isEqualTo(new Read<>(Workflow.named("v1"), Tier.L1));

        // the invalidator's work: INCR the counter, then the broadcast naming the write's event
        long generation = Long.parseLong(redis.command("INCR", CacheKeys.generationKeyOfDomain(tenant, "workflows"))
                .substring(1));
        EvictionBroadcast broadcast = new EvictionBroadcast(tenant, "workflows", List.of(), write.sequence(),
                write.sequence(), generation, List.of(write.eventId()), "test-invalidator", Instant.now());
        writer.bean(EvictionBroadcastHandler.class).apply(broadcast);
        other.bean(EvictionBroadcastHandler.class).apply(broadcast);

        assertThat(read(writer, key)).as("marker cleared: Redis is read again, at the new generation")
                .isEqualTo(new Read<>(Workflow.named("v2"), Tier.LOADER));
        assertThat(read(other, key)).isEqualTo(new Read<>(Workflow.named("v2"), Tier.L2_REDIS));
    }

    @Test
    void aCompactBatchClearsAWritersMarkOnlyWithTheIdsItListsUnderThatWriter() {
        DomainMutated write = writeAwaitingItsInvalidation();
        ReadYourWrites marks = writer.bean(ReadYourWrites.class);
        int pending = marks.pending();
        assertThat(write.sourceNode()).isEqualTo(writer.bean(NodeIdentity.class).id());

        writer.bean(EvictionBroadcastHandler.class).apply(batchNaming(write, "another-node"));
        assertThat(marks.pending()).as("the id listed under another writer").isEqualTo(pending);

        writer.bean(EvictionBroadcastHandler.class).apply(batchNaming(write, write.sourceNode()));
        assertThat(marks.pending()).as("the id listed under this node").isEqualTo(pending - 1);
    }

    /**
     * What the node's listener does with a batch record it reads from the topic: it decodes only this node's ids (ADR
     * 0014), and those must still end the mark.
     */
    @Test
    void aCompactBatchReadFromTheTopicClearsTheMarkOfTheWriteListedUnderThisNode() {
        DomainMutated write = writeAwaitingItsInvalidation();
        ReadYourWrites marks = writer.bean(ReadYourWrites.class);
        int pending = marks.pending();
        EventCodec codec = writer.bean(EventCodec.class);
        EvictionListener listener = new EvictionListener(codec, writer.bean(EvictionBroadcastHandler.class),
                writer.bean(InvalidationWatermarks.class));
        Map<String, List<UUID>> idsByWriter = new LinkedHashMap<>();
        idsByWriter.put("another-node", List.of(UUID.randomUUID()));
        idsByWriter.put(write.sourceNode(), List.of(write.eventId()));

        listener.onMessage(new ConsumerRecord<>(Topics.EVICTIONS, 0, 0L, write.tenant(),
                codec.encode(batchNaming(write, 2, idsByWriter))));

        assertThat(marks.pending()).isEqualTo(pending - 1);
    }

    private static EvictionBatch batchNaming(DomainMutated write, String listedUnder) {
        return batchNaming(write, 1, Map.of(listedUnder, List.of(write.eventId())));
    }

    private static EvictionBatch batchNaming(DomainMutated write, int events, Map<String, List<UUID>> idsByWriter) {
        return new EvictionBatch("test-invalidator", List.of(), List.of(new EvictionBatch.ScopeEviction(
                write.tenant(), write.domain(), List.of(), write.sequence(), write.sequence(), 0, events,
                idsByWriter, false)),
                Optional.of(new EvictionBatch.CommittedRange(write.committedAt(), write.committedAt())),
                Instant.now(), false);
    }

    @Test
    void aRolledBackWriteLeavesTheCacheAsItWas() {
        String tenant = newTenant();
        insert(tenant, "v1");
        CacheKey key = keyOf(tenant);
        read(writer, key);

        rename(tenant, "v2", true);

        assertThat(read(writer, key)).isEqualTo(new Read<>(Workflow.named("v1"), Tier.L1));
    }

    /** A write of a new tenant's workflow whose invalidation has not come back: its mark is pending. */
    private static DomainMutated writeAwaitingItsInvalidation() {
        String tenant = newTenant();
        insert(tenant, "v1");
        return rename(tenant, "v2", false);
    }

    private static DomainMutated rename(String tenant, String name, boolean rollBack) {
        return writer.transactions().execute(status -> {
            writer.jdbc().update("UPDATE workflow SET name = ? WHERE tenant = ? AND id = 'w1'", name, tenant);
            DomainMutated event = writer.publisher().recordMutation(tenant, "workflows", Operation.PATCH, "w1");
            if (rollBack) {
                status.setRollbackOnly();
            }
            return event;
        });
    }

    private static void insert(String tenant, String name) {
        writer.jdbc().update("INSERT INTO workflow (tenant, id, name) VALUES (?, 'w1', ?)", tenant, name);
    }

    private static Read<Workflow> read(Node node, CacheKey key) {
        return node.read(key, Workflow.class, () -> Workflow.named(node.jdbc().queryForObject(
                "SELECT name FROM workflow WHERE tenant = ? AND id = 'w1'", String.class, key.tenant())));
    }

    private static CacheKey keyOf(String tenant) {
        return CacheKey.of(tenant, "workflows").resource("/api/workflows/w1").build();
    }

    private static String newTenant() {
        return "t-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
