package io.cachebus.client.internal.tiered;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.client.CacheKey;
import io.cachebus.client.Tier;
import io.cachebus.client.internal.eviction.EvictionBroadcastHandler;
import io.cachebus.client.testsupport.Read;
import io.cachebus.client.testsupport.Workflow;
import io.cachebus.events.CacheKeys;
import io.cachebus.events.EvictionBroadcast;
import io.cachebus.events.Tag;
import io.cachebus.local.junit.RedisClusterExtension;
import io.cachebus.local.redis.RedisCluster;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The read path on a real Redis Cluster of three primaries, through Lettuce's cluster client as configured by
 * {@code spring.data.redis.cluster.nodes}: everything the standalone tests check, plus the multi-key commands a
 * cluster refuses across slots (the MGET of a key's counters and the compare-and-set script).
 */
@ExtendWith(RedisClusterExtension.class)
class TieredCacheOnClusterTest extends TieredCacheContract {

    private RedisCluster cluster;

    @BeforeAll
    void startNodes(RedisCluster redisCluster) {
        cluster = redisCluster;
        startNodes(node -> node.redis(redisCluster));
    }

    @Override
    long incr(String key) {
        return Long.parseLong(cluster.text("INCR", key));
    }

    @Override
    List<String> keysInRedisUnder(String prefix) {
        RedisClusterClient client = RedisClusterClient.create(
                RedisURI.create("redis://" + cluster.nodeAddresses().split(",")[0]));
        try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
            // KEYS on a cluster connection asks every primary
            return connection.sync().keys(CacheKeys.scanPattern(prefix));
        } finally {
            client.shutdown();
        }
    }

    @Override
    String valueInRedis(String key) {
        return cluster.text("GET", key);
    }

    /**
     * A key with a derived tag that also depends on another domain: its read takes three counters (one MGET) and its
     * store checks all three and writes the entry (one script over four keys). Without a shared slot the cluster
     * refuses both (CROSSSLOT) and the second node would answer from its fallback, not from Redis.
     */
    @Test
    void aDerivedEntryDependingOnAnotherDomainIsStoredAndReadThroughRedisAndDroppedWhenAnyScopeMoves() {
        String tenant = "t-slot-" + UUID.randomUUID().toString().substring(0, 8);
        CacheKey key = CacheKey.of(tenant, "workflows").derived("steps").resource("/api/workflows/w1/steps")
                .dependsOn("notifications").build();

        Read<Workflow> onA = nodeA.read(key, Workflow.class, () -> Workflow.named("steps-v1"));
        Read<Workflow> onB = nodeB.read(key, Workflow.class, () -> Workflow.named("never"));

        assertThat(onA).isEqualTo(new Read<>(Workflow.named("steps-v1"), Tier.LOADER));
        assertThat(onB).as("B read the counters and the entry from Redis")
                .isEqualTo(new Read<>(Workflow.named("steps-v1"), Tier.L2_REDIS));
        List<String> stored = keysInRedisUnder(CacheKeys.prefix(tenant, new Tag("workflows", "steps")));
        assertThat(stored).hasSize(1);
        assertThat(cluster.slotOf(stored.get(0))).isEqualTo(cluster.slotOf(CacheKeys.hashTag(tenant)));

        long generation = incr(CacheKeys.generationKeyOfDomain(tenant, "notifications"));
        nodeB.bean(EvictionBroadcastHandler.class).apply(new EvictionBroadcast(tenant, "notifications", List.of(), 1, 1,
                generation, List.of(UUID.randomUUID()), "test-invalidator", Instant.now()));

        assertThat(nodeB.read(key, Workflow.class, () -> Workflow.named("steps-v2")))
                .as("a write to a domain the entry depends on drops it")
                .isEqualTo(new Read<>(Workflow.named("steps-v2"), Tier.LOADER));
    }
}
