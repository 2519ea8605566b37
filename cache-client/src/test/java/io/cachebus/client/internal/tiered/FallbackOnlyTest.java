package io.cachebus.client.internal.tiered;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.client.CacheKey;
import io.cachebus.client.Tier;
import io.cachebus.client.testsupport.Node;
import io.cachebus.client.testsupport.Read;
import io.cachebus.client.testsupport.Workflow;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No Redis at all ({@code cachebus.l2.enabled=false}): the in-memory fallback is L2, a real cache with the prefix
 * invalidation the prefix-invalidation requirement asks for. L1 is off so the reads reach it.
 */
class FallbackOnlyTest {

    private static Node node;

    @BeforeAll
    static void startNode() {
        node = Node.named("fallback-only").property("cachebus.l1.max-size", 0).start();
    }

    @AfterAll
    static void stopNode() {
        node.close();
    }

    @Test
    void theFallbackAnswersTheSecondReadAndALocalEvictionEmptiesTheDomainsPrefix() {
        CacheKey list = CacheKey.of("t1", "workflows").resource("/api/workflows").param("page", 1).build();
        CacheKey steps = CacheKey.of("t1", "workflows").derived("steps").resource("/api/workflows/w1/steps").build();
        CacheKey otherTenant = CacheKey.of("t10", "workflows").resource("/api/workflows").param("page", 1).build();
        CacheKey otherDomain = CacheKey.of("t1", "notifications").resource("/api/notifications").build();
        for (CacheKey key : new CacheKey[] {list, steps, otherTenant, otherDomain}) {
            assertThat(read(key, "v1").tier()).isEqualTo(Tier.LOADER);
            assertThat(read(key, "v1")).isEqualTo(new Read<>(Workflow.named("v1"), Tier.L2_FALLBACK));
        }
        long sizeBefore = node.bean(LocalInvalidation.class).fallback().size();

        node.cache().evictLocal("t1", "workflows");

        assertThat(node.bean(LocalInvalidation.class).fallback().size())
                .as("the prefix tenant:t1:workflows: was emptied, derived data included").isEqualTo(sizeBefore - 2);
        assertThat(read(list, "v2")).isEqualTo(new Read<>(Workflow.named("v2"), Tier.LOADER));
        assertThat(read(steps, "v2")).isEqualTo(new Read<>(Workflow.named("v2"), Tier.LOADER));
        assertThat(read(otherTenant, "v2")).isEqualTo(new Read<>(Workflow.named("v1"), Tier.L2_FALLBACK));
        assertThat(read(otherDomain, "v2")).isEqualTo(new Read<>(Workflow.named("v1"), Tier.L2_FALLBACK));
    }

    @Test
    void withoutRedisThereIsNoRedisTierAndHealthSaysSo() {
        assertThat(node.context().getBeanProvider(RedisEntryStore.class).getIfAvailable()).isNull();
        assertThat(node.cachebusHealth().getDetails()).containsEntry("l2", "fallback")
                .containsEntry("redis", "not configured");
    }

    private static Read<Workflow> read(CacheKey key, String name) {
        return node.read(key, Workflow.class, () -> Workflow.named(name));
    }
}
