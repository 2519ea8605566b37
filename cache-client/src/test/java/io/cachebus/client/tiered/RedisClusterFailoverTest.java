package io.cachebus.client.tiered;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cachebus.client.CacheKey;
import io.cachebus.client.Tier;
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
 * the new topology, Redis is L2 again for that tenant. L1 is off so every read reaches L2.
 */
class RedisClusterFailoverTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void readsRideThroughAPrimaryFailoverAndReturnToRedisOnTheNewPrimary() {
        String tenant = "t-failover-" + UUID.randomUUID().toString().substring(0, 8);
        try (RedisCluster cluster = RedisCluster.start(3, 1);
             Node node = Node.named("cluster-failover").redis(cluster)
                     .property("cachebus.l1.max-size", 0)
                     .property("cachebus.l2.breaker.wait-duration-in-open-state", "500ms")
                     .start()) {
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
            assertThat(node.read(before, Workflow.class, () -> Workflow.named("never")))
                    .as("the entry stored before the failover was replicated and is served by the new primary")
                    .isEqualTo(new Read<>(Workflow.named("v1"), Tier.L2_REDIS));
        }
    }

    private static CacheKey key(String tenant, String resource) {
        return CacheKey.of(tenant, "workflows").resource("/api/workflows/" + resource).build();
    }
}
