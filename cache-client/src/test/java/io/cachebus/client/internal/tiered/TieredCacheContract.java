package io.cachebus.client.internal.tiered;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cachebus.client.CacheKey;
import io.cachebus.client.Tier;
import io.cachebus.client.internal.eviction.EvictionBroadcastHandler;
import io.cachebus.client.testsupport.Node;
import io.cachebus.client.testsupport.Read;
import io.cachebus.client.testsupport.Workflow;
import io.cachebus.events.CacheKeys;
import io.cachebus.events.EvictionBroadcast;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The read path on real Redis, with two nodes sharing it: a standalone redis-server ({@link TieredCacheTest}) and a
 * Redis Cluster of three primaries ({@link TieredCacheOnClusterTest}) must behave the same.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TieredCacheContract {

    Node nodeA;
    Node nodeB;

    /** Starts both nodes, each with L2 on the Redis under test; called by the subclass once it has its Redis. */
    void startNodes(UnaryOperator<Node.Builder> withRedis) {
        nodeA = withRedis.apply(Node.named("tiered-a")).start();
        nodeB = withRedis.apply(Node.named("tiered-b")).start();
    }

    /** INCRs a generation counter in the Redis under test, as the invalidator does; returns its new value. */
    abstract long incr(String key);

    /** Every key under a prefix, read with plain commands so the check does not go through the cache. */
    abstract List<String> keysInRedisUnder(String prefix);

    /** The value of a key, read with plain commands. */
    abstract String valueInRedis(String key);

    @AfterAll
    void stopNodes() {
        if (nodeA != null) {
            nodeA.close();
        }
        if (nodeB != null) {
            nodeB.close();
        }
    }

    @Test
    void aMissLoadsOnceThenL1AnswersAndASecondNodeFindsItInRedis() {
        CacheKey key = workflowKey("read-through");
        AtomicInteger loads = new AtomicInteger();

        Read<Workflow> first = nodeA.read(key, Workflow.class, () -> load(loads, "v1"));
        Read<Workflow> second = nodeA.read(key, Workflow.class, () -> load(loads, "never"));
        Read<Workflow> onB = nodeB.read(key, Workflow.class, () -> load(loads, "never"));
        Read<Workflow> againOnB = nodeB.read(key, Workflow.class, () -> load(loads, "never"));

        assertThat(first).isEqualTo(new Read<>(Workflow.named("v1"), Tier.LOADER));
        assertThat(second).isEqualTo(new Read<>(Workflow.named("v1"), Tier.L1));
        assertThat(onB).isEqualTo(new Read<>(Workflow.named("v1"), Tier.L2_REDIS));
        assertThat(againOnB).isEqualTo(new Read<>(Workflow.named("v1"), Tier.L1));
        assertThat(loads).hasValue(1);
        assertThat(nodeA.count("cachebus.cache.lookups", "tier", "l1", "domain", "workflows")).isPositive();
        assertThat(nodeA.count("cachebus.cache.loads", "domain", "workflows")).isPositive();
    }

    @Test
    void thirtyTwoConcurrentMissesOfOneKeyRunTheLoaderOnce() throws Exception {
        CacheKey key = workflowKey("stampede");
        AtomicInteger loads = new AtomicInteger();
        int threads = 32;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Workflow>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return nodeA.cache().get(key, Workflow.class, () -> {
                        sleep(300); // long enough for every thread to arrive while the load is in flight
                        return load(loads, "once");
                    });
                }));
            }
            for (Future<Workflow> result : results) {
                assertThat(result.get(30, TimeUnit.SECONDS)).isEqualTo(Workflow.named("once"));
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(loads).hasValue(1);
    }

    @Test
    void aFailingLoaderReachesEveryWaiterUnchangedAndNothingIsCached() throws Exception {
        CacheKey key = workflowKey("failing");
        IllegalArgumentException failure = new IllegalArgumentException("database said no");
        CountDownLatch loading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Object> leader = pool.submit(() -> nodeA.cache().get(key, Workflow.class, () -> {
                loading.countDown();
                await(release);
                throw failure;
            }));
            assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue();
            Future<Object> waiter = pool.submit(() -> nodeA.cache().get(key, Workflow.class, () -> Workflow.named("x")));
            sleep(100);
            release.countDown();

            assertThatThrownBy(() -> leader.get(10, TimeUnit.SECONDS)).hasCause(failure);
            assertThatThrownBy(() -> waiter.get(10, TimeUnit.SECONDS)).hasCause(failure);
        } finally {
            pool.shutdownNow();
        }
        assertThat(nodeA.read(key, Workflow.class, () -> Workflow.named("after")).tier()).isEqualTo(Tier.LOADER);
    }

    /**
     * Invariant 3, with the interleaving forced: the loader has read the old data and is held; meanwhile the domain
     * is invalidated as the invalidator does it (INCR of the Redis counter, then the broadcast). Released, the
     * loader's old value must land nowhere: not in L1, not in Redis, on neither node.
     */
    @Test
    void aValueLoadedBeforeAnInvalidationIsNotStoredAfterIt() throws Exception {
        String tenant = "t-stale-" + UUID.randomUUID().toString().substring(0, 8);
        CacheKey key = CacheKey.of(tenant, "workflows").resource("/api/workflows/w1").build();
        CountDownLatch oldDataRead = new CountDownLatch(1);
        CountDownLatch invalidated = new CountDownLatch(1);
        nodeA.lookups().clear();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Workflow> slowRead = pool.submit(() -> nodeA.cache().get(key, Workflow.class, () -> {
                Workflow old = Workflow.named("old");
                oldDataRead.countDown();
                await(invalidated);
                return old;
            }));
            assertThat(oldDataRead.await(10, TimeUnit.SECONDS)).isTrue();

            long generation = incr(CacheKeys.generationKeyOfDomain(tenant, "workflows"));
            EvictionBroadcast broadcast = new EvictionBroadcast(tenant, "workflows", List.of(), 1, 1, generation,
                    List.of(UUID.randomUUID()), "test-invalidator", Instant.now());
            nodeA.bean(EvictionBroadcastHandler.class).apply(broadcast);
            invalidated.countDown();

            assertThat(slowRead.get(10, TimeUnit.SECONDS)).as("the caller still gets what it loaded")
                    .isEqualTo(Workflow.named("old"));
        } finally {
            pool.shutdownNow();
        }

        assertThat(nodeA.lookups().staleStoresRefused()).extracting(refused -> refused.tier())
                .contains(Tier.L1, Tier.L2_REDIS);
        assertThat(valuesInRedisUnder(CacheKeys.prefix(tenant, "workflows"))).noneMatch(json -> json.contains("old"));
        assertThat(nodeA.count("cachebus.cache.stale.refused", "domain", "workflows")).isPositive();

        Read<Workflow> onA = nodeA.read(key, Workflow.class, () -> Workflow.named("new"));
        Read<Workflow> onB = nodeB.read(key, Workflow.class, () -> Workflow.named("new-on-b"));
        assertThat(onA).isEqualTo(new Read<>(Workflow.named("new"), Tier.LOADER));
        assertThat(onB.value()).as("B reads A's fresh entry from Redis, never the old one").isEqualTo(Workflow.named("new"));
    }

    @Test
    void aLocalEvictionOfADomainAlsoDropsItsDerivedDataAndWhatDependsOnIt() {
        String tenant = "t-scope-" + UUID.randomUUID().toString().substring(0, 8);
        CacheKey steps = CacheKey.of(tenant, "workflows").derived("steps").resource("/api/workflows/w1/steps").build();
        CacheKey joined = CacheKey.of(tenant, "notifications").resource("/api/notifications/with-workflows")
                .dependsOn("workflows").build();
        CacheKey unrelated = CacheKey.of(tenant, "notifications").resource("/api/notifications").build();
        for (CacheKey key : List.of(steps, joined, unrelated)) {
            nodeA.read(key, Workflow.class, () -> Workflow.named("v"));
            assertThat(nodeA.read(key, Workflow.class, () -> Workflow.named("v")).tier()).isEqualTo(Tier.L1);
        }

        nodeA.cache().evictLocal(tenant, "workflows");

        assertThat(nodeA.read(steps, Workflow.class, () -> Workflow.named("v")).tier()).isNotEqualTo(Tier.L1);
        assertThat(nodeA.read(joined, Workflow.class, () -> Workflow.named("v")).tier()).isNotEqualTo(Tier.L1);
        assertThat(nodeA.read(unrelated, Workflow.class, () -> Workflow.named("v")).tier()).isEqualTo(Tier.L1);
    }

    @Test
    void anInvalidationInRedisMakesEveryNodeMissOnceItsGenerationIsKnown() {
        String tenant = "t-gen-" + UUID.randomUUID().toString().substring(0, 8);
        CacheKey key = CacheKey.of(tenant, "workflows").resource("/api/workflows").build();
        nodeA.read(key, Workflow.class, () -> Workflow.named("v1"));
        assertThat(nodeB.read(key, Workflow.class, () -> Workflow.named("v1")).tier()).isEqualTo(Tier.L2_REDIS);

        long generation = incr(CacheKeys.generationKeyOfDomain(tenant, "workflows"));
        EvictionBroadcast broadcast = new EvictionBroadcast(tenant, "workflows", List.of(), 1, 1, generation,
                List.of(UUID.randomUUID()), "test-invalidator", Instant.now());
        nodeB.bean(EvictionBroadcastHandler.class).apply(broadcast);

        assertThat(nodeB.read(key, Workflow.class, () -> Workflow.named("v2")))
                .isEqualTo(new Read<>(Workflow.named("v2"), Tier.LOADER));
    }

    static CacheKey workflowKey(String resource) {
        return CacheKey.of("t1", "workflows").resource("/api/" + resource + "/" + UUID.randomUUID()).build();
    }

    static Workflow load(AtomicInteger loads, String name) {
        loads.incrementAndGet();
        return Workflow.named(name);
    }

    /** Every value stored under a prefix. */
    List<String> valuesInRedisUnder(String prefix) {
        return keysInRedisUnder(prefix).stream().map(this::valueInRedis).toList();
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("latch not released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
