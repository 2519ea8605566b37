package io.cachebus.client.internal.tiered;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cachebus.client.CacheKey;
import io.cachebus.client.Tier;
import io.cachebus.client.testsupport.InvalidatorRedis;
import io.cachebus.client.testsupport.Node;
import io.cachebus.client.testsupport.Read;
import io.cachebus.client.testsupport.Workflow;
import io.cachebus.events.CacheKeys;
import io.cachebus.local.redis.RedisCluster;
import io.cachebus.local.redis.RedisServer;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A primary of the Redis Cluster dies under a node's reads: every read still answers (from the loader and the
 * fallback while the tenant's slot has no primary), and once the replica has taken over and the client has learnt
 * the new topology, Redis is L2 again for that tenant; and a failover that loses an invalidation serves no value it
 * invalidated. L1 is off so every read reaches L2.
 */
class RedisClusterFailoverTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void readsRideThroughAPrimaryFailoverAndReturnToRedisOnTheNewPrimary() {
        String tenant = "t-failover-" + UUID.randomUUID().toString().substring(0, 8);
        try (RedisCluster cluster = RedisCluster.start(3, 1);
             Node node = l2Only("cluster-failover", cluster)) {
            CacheKey before = key(tenant, "before");
            node.read(before, Workflow.class, () -> Workflow.named("v1"));
            assertThat(node.read(before, Workflow.class, () -> Workflow.named("never")).tier()).isEqualTo(Tier.L2_REDIS);
            cluster.awaitReplicated(TIMEOUT);
            RedisServer victim = cluster.killPrimaryOf(CacheKeys.hashTag(tenant));

            long failoverUntil = System.nanoTime() + TIMEOUT.toNanos();
            boolean promoted = false;
            while (!promoted && System.nanoTime() < failoverUntil) {
                Read<Workflow> read = node.read(key(tenant, "during"), Workflow.class, () -> Workflow.named("fresh"));
                assertThat(read.value()).as("every read answers").isEqualTo(Workflow.named("fresh"));
                promoted = cluster.primaries().size() == 3;
            }
            cluster.awaitHealthy(TIMEOUT);
            assertThat(cluster.primaryOf(CacheKeys.hashTag(tenant))).isNotSameAs(victim);

            await().atMost(TIMEOUT).untilAsserted(() -> {
                CacheKey after = key(tenant, "after-" + UUID.randomUUID());
                node.read(after, Workflow.class, () -> Workflow.named("v2"));
                assertThat(node.read(after, Workflow.class, () -> Workflow.named("never")))
                        .as("stored in and read from the new primary")
                        .isEqualTo(new Read<>(Workflow.named("v2"), Tier.L2_REDIS));
            });
        }
    }

    /**
     * The invalidation reaches the primary but not its replica (paused and cut off), and so does the entry of v2
     * stored after it; then the primary dies and the replica, which has the counter and the entry of v1 from before
     * the invalidation, takes over. Neither a node that knew the new generation nor one that reads the counter from
     * the new primary may serve v1: the new primary is another Redis run, so its ledger re-seeds the counter.
     */
    @Test
    void aFailoverThatLosesAnInvalidationServesNoValueItInvalidated() {
        String tenant = "t-lost-" + UUID.randomUUID().toString().substring(0, 8);
        CacheKey key = RedisGenerationFaultsTest.key(tenant);
        String counter = CacheKeys.generationKeyOfDomain(tenant, "workflows");
        try (RedisCluster cluster = RedisCluster.start(3, 1);
             InvalidatorRedis invalidator = InvalidatorRedis.on(cluster);
             Node reader = l2Only("lost-reader", cluster);
             Node lateReader = l2Only("lost-late-reader", cluster)) {
            reader.read(key, Workflow.class, () -> Workflow.named("v1"));
            assertThat(reader.read(key, Workflow.class, () -> Workflow.named("never")))
                    .isEqualTo(new Read<>(Workflow.named("v1"), Tier.L2_REDIS));
            cluster.awaitReplicated(TIMEOUT);
            RedisServer primary = cluster.primaryOf(counter);
            RedisServer replica = cluster.replicaOf(primary);

            replica.pause();
            primary.text("CLIENT", "KILL", "TYPE", "replica");
            long invalidated = invalidator.invalidate(tenant, "workflows", reader);
            reader.read(key, Workflow.class, () -> Workflow.named("v2"));
            assertThat(reader.read(key, Workflow.class, () -> Workflow.named("never")))
                    .isEqualTo(new Read<>(Workflow.named("v2"), Tier.L2_REDIS));
            primary.kill();
            replica.unpause();
            cluster.awaitHealthy(TIMEOUT);
            assertThat(cluster.primaryOf(counter)).isSameAs(replica);
            assertThat(cluster.text("GET", counter)).as("the new primary never saw the invalidation")
                    .isNotEqualTo(String.valueOf(invalidated));

            RedisGenerationFaultsTest.readUntilRedisServes(lateReader, key, Workflow.named("v3"));
            RedisGenerationFaultsTest.readUntilRedisServes(reader, key, Workflow.named("v3"));
        }
    }

    private static Node l2Only(String name, RedisCluster cluster) {
        return Node.named(name).redis(cluster)
                .property("cachebus.l1.max-size", 0)
                .property("cachebus.l2.breaker.wait-duration-in-open-state", "500ms")
                .start();
    }

    private static CacheKey key(String tenant, String resource) {
        return CacheKey.of(tenant, "workflows").resource("/api/workflows/" + resource).build();
    }
}
