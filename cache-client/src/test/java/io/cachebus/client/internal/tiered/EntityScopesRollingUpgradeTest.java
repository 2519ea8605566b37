package io.cachebus.client.internal.tiered;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cachebus.client.CacheKey;
import io.cachebus.client.Tier;
import io.cachebus.client.internal.eviction.EvictionBroadcastHandler;
import io.cachebus.client.testsupport.Invalidator;
import io.cachebus.client.testsupport.Node;
import io.cachebus.client.testsupport.Workflow;
import io.cachebus.events.Operation;
import io.cachebus.local.junit.LocalKafkaExtension;
import io.cachebus.local.junit.RedisServerExtension;
import io.cachebus.local.kafka.BusTopics;
import io.cachebus.local.kafka.KafkaBroker;
import io.cachebus.local.redis.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The last step of the rolling upgrade to entity scopes (ADR 0017), end to end: two nodes, the real invalidator, an
 * in-process broker and a redis-server. While invalidators run {@code cachebus.invalidator.entity-scopes.enabled=false}
 * (nodes of the earlier release, whose entries depend on their domain alone, may still be up), a write of one entity
 * drops every entity of its domain on every node; once the invalidators are restarted with it on, the same write
 * drops only that entity and the domain's collections.
 */
@ExtendWith({RedisServerExtension.class, LocalKafkaExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EntityScopesRollingUpgradeTest {

    private static final String FLAG = "cachebus.invalidator.entity-scopes.enabled";
    private static final String DOMAIN = "workflows";
    private static final Duration BROADCAST_ARRIVES = Duration.ofSeconds(60);

    private KafkaBroker kafka;
    private RedisServer redis;
    private BusTopics topics;
    private Node writer;
    private Node other;

    @BeforeAll
    void start(KafkaBroker broker, RedisServer server) {
        kafka = broker;
        redis = server;
        topics = BusTopics.create(broker, "entity-scopes-upgrade");
        writer = node("upgrade-writer");
        other = node("upgrade-other");
        for (Node node : List.of(writer, other)) {
            await().atMost(BROADCAST_ARRIVES).until(() -> node.evictionListener().assignments() >= 1);
        }
    }

    private Node node(String name) {
        return Node.named(name).redis(redis).kafka(kafka.bootstrapServers()).topics(topics).evictions().start();
    }

    @AfterAll
    void stop() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] {other, writer}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    @Test
    void withEntityScopesOffAWriteOfOneEntityDropsEveryEntityAndOnceTurnedOnOnlyThatEntityAndTheCollections() {
        try (Invalidator beforeEveryNodeIsUpgraded = Invalidator.start(kafka.bootstrapServers(), redis, topics,
                Map.of(FLAG, false))) {
            Entries entries = writeEntityA("off");
            assertThat(List.of(entries.readB(writer), entries.readB(other)))
                    .as("entity b on the writer, then on the other node, with entity scopes off: missed on both, "
                            + "loaded once, then shared through Redis").containsExactly(Tier.LOADER, Tier.L2_REDIS);
            assertThat(List.of(entries.readList(writer), entries.readList(other)))
                    .containsExactly(Tier.LOADER, Tier.L2_REDIS);
            assertThat(entries.readA(other)).isEqualTo(Tier.LOADER);
        }
        try (Invalidator onceEveryNodeIsUpgraded = Invalidator.start(kafka.bootstrapServers(), redis, topics,
                Map.of(FLAG, true))) {
            Entries entries = writeEntityA("on");
            assertThat(List.of(entries.readB(writer), entries.readB(other)))
                    .as("entity b on the writer, then on the other node, with entity scopes on: still in L1")
                    .containsExactly(Tier.L1, Tier.L1);
            assertThat(List.of(entries.readList(writer), entries.readList(other)))
                    .as("a collection goes with every write of the domain").containsExactly(Tier.LOADER, Tier.L2_REDIS);
            assertThat(entries.readA(other)).isEqualTo(Tier.LOADER);
        }
    }

    /**
     * Caches entities a and b and a list of a fresh tenant on both nodes, writes entity a on the writer, and returns once
     * the invalidator's broadcast of the write was applied on both.
     */
    private Entries writeEntityA(String label) {
        Entries entries = new Entries("t-" + label + "-" + UUID.randomUUID().toString().substring(0, 8));
        for (Node node : List.of(writer, other)) {
            entries.readA(node);
            entries.readB(node);
            entries.readList(node);
            assertThat(List.of(entries.readA(node), entries.readB(node), entries.readList(node)))
                    .as("cached on %s", node).containsOnly(Tier.L1);
        }
        double writerReceived = writer.count(EvictionBroadcastHandler.RECEIVED, "domain", DOMAIN);
        double otherReceived = other.count(EvictionBroadcastHandler.RECEIVED, "domain", DOMAIN);

        writer.transactions().executeWithoutResult(status -> writer.publisher().recordMutation(entries.tenant, DOMAIN,
                Operation.PATCH, "a"));

        await().atMost(BROADCAST_ARRIVES).until(() ->
                writer.count(EvictionBroadcastHandler.RECEIVED, "domain", DOMAIN) > writerReceived
                        && other.count(EvictionBroadcastHandler.RECEIVED, "domain", DOMAIN) > otherReceived);
        return entries;
    }

    /** Entries of a tenant's entities a and b and a list of its domain; each read answers from where it was found. */
    private record Entries(String tenant) {

        Tier readA(Node node) {
            return read(node, CacheKey.of(tenant, DOMAIN).entity("a").resource("/api/workflows/a").build());
        }

        Tier readB(Node node) {
            return read(node, CacheKey.of(tenant, DOMAIN).entity("b").resource("/api/workflows/b").build());
        }

        Tier readList(Node node) {
            return read(node, CacheKey.of(tenant, DOMAIN).resource("/api/workflows").param("page", 0).build());
        }

        private static Tier read(Node node, CacheKey key) {
            return node.read(key, Workflow.class, () -> Workflow.named(key.toString())).tier();
        }
    }
}
