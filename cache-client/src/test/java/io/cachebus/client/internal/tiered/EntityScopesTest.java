package io.cachebus.client.internal.tiered;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.client.CacheKey;
import io.cachebus.client.Tier;
import io.cachebus.client.testsupport.InvalidatorRedis;
import io.cachebus.client.testsupport.Node;
import io.cachebus.client.testsupport.Read;
import io.cachebus.client.testsupport.Workflow;
import io.cachebus.events.CacheKeys;
import io.cachebus.local.junit.RedisServerExtension;
import io.cachebus.local.redis.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Entity scopes (ADR 0017) on a real redis-server with two nodes, invalidated by the invalidator's own strategy: a
 * write of one entity drops that entity's entries and the domain's collections on every node and in Redis, and
 * nothing of the other entities; a bulk write drops all of it; a read of an entity that began before the entity's
 * invalidation stores nothing after it.
 */
@ExtendWith(RedisServerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EntityScopesTest {

    private RedisServer redis;
    private InvalidatorRedis invalidator;
    private Node nodeA;
    private Node nodeB;

    @BeforeAll
    void start(RedisServer server) {
        redis = server;
        invalidator = InvalidatorRedis.on(server);
        nodeA = Node.named("entity-a").redis(server).start();
        nodeB = Node.named("entity-b").redis(server).start();
    }

    @AfterAll
    void stop() {
        for (AutoCloseable closeable : new AutoCloseable[] {nodeA, nodeB, invalidator}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void aWriteOfEntityAKeepsEntityBReachableAndDropsAAndTheDomainsCollectionsOnEveryNode() {
        Entries entries = new Entries(tenant("one"));
        entries.cacheOnBothNodes();

        invalidator.invalidateEntities(entries.tenant, "workflows", List.of("a"), nodeA, nodeB);

        for (Node node : List.of(nodeA, nodeB)) {
            assertThat(node.read(entries.b, Workflow.class, () -> Workflow.named("b-reloaded")))
                    .as("another entity's entry stays in L1").isEqualTo(new Read<>(Workflow.named("b"), Tier.L1));
            assertThat(node.read(entries.stepsOfB, Workflow.class, () -> Workflow.named("b-steps-reloaded")).tier())
                    .as("and its derived data too").isEqualTo(Tier.L1);
        }
        assertThat(nodeA.read(entries.a, Workflow.class, () -> Workflow.named("a2")))
                .isEqualTo(new Read<>(Workflow.named("a2"), Tier.LOADER));
        assertThat(nodeA.read(entries.stepsOfA, Workflow.class, () -> Workflow.named("a2-steps")).tier())
                .isEqualTo(Tier.LOADER);
        assertThat(nodeA.read(entries.list, Workflow.class, () -> Workflow.named("list2")).tier())
                .as("a list may show the entity written").isEqualTo(Tier.LOADER);
        assertThat(nodeA.read(entries.unfiltered, Workflow.class, () -> Workflow.named("unfiltered2")).tier())
                .as("an entry that names no entity is a collection").isEqualTo(Tier.LOADER);
        assertThat(nodeB.read(entries.a, Workflow.class, () -> Workflow.named("never")))
                .as("the other node finds the new value in Redis, not the old one")
                .isEqualTo(new Read<>(Workflow.named("a2"), Tier.L2_REDIS));
        assertThat(nodeB.read(entries.list, Workflow.class, () -> Workflow.named("never")).value())
                .isEqualTo(Workflow.named("list2"));
        assertThat(redisText("GET", CacheKeys.generationKeyOfDomain(entries.tenant, "workflows")))
                .as("the domain's counter did not move").isEqualTo(entries.domainGeneration);
    }

    @Test
    void aWriteOfOneEntityLeavesOtherDomainsAloneButDropsWhatDependsOnTheWrittenDomain() {
        String tenant = tenant("depends");
        CacheKey notification = CacheKey.of(tenant, "notifications").entity("a").resource("/api/notifications/a").build();
        CacheKey joined = CacheKey.of(tenant, "notifications").entity("a").resource("/api/notifications/a/workflows")
                .dependsOn("workflows").build();
        nodeA.read(notification, Workflow.class, () -> Workflow.named("n"));
        nodeA.read(joined, Workflow.class, () -> Workflow.named("j"));

        invalidator.invalidateEntities(tenant, "workflows", List.of("a"), nodeA);

        assertThat(nodeA.read(notification, Workflow.class, () -> Workflow.named("never")).tier()).isEqualTo(Tier.L1);
        assertThat(nodeA.read(joined, Workflow.class, () -> Workflow.named("j2")).tier())
                .as("an entry depending on a domain depends on all of its entities").isEqualTo(Tier.LOADER);
    }

    @Test
    void aBulkWriteDropsEveryEntityAndEveryCollectionOfTheDomain() {
        Entries entries = new Entries(tenant("bulk"));
        entries.cacheOnBothNodes();

        invalidator.invalidate(entries.tenant, "workflows", nodeA, nodeB);

        for (Node node : List.of(nodeA, nodeB)) {
            for (CacheKey key : entries.all()) {
                assertThat(node.read(key, Workflow.class, () -> Workflow.named("new")).value())
                        .as("%s on %s", key, node).isEqualTo(Workflow.named("new"));
            }
        }
    }

    /**
     * Invariant 3 for an entity: the loader has read the old entity and is held while that entity alone is written and
     * invalidated (its counter and the collections' in Redis, then the broadcast). Released, the old value lands
     * nowhere. It stores the old value when an entity's entries do not depend on the entity's generation.
     */
    @Test
    void anEntityLoadedBeforeItsInvalidationIsNotStoredAfterIt() throws Exception {
        String tenant = tenant("refill");
        CacheKey key = CacheKey.of(tenant, "workflows").entity("w1").resource("/api/workflows/w1").build();
        // the entity's and the domain's counters exist, as on any tenant that was read before
        nodeB.read(CacheKey.of(tenant, "workflows").entity("w1").resource("/warm").build(), Workflow.class,
                () -> Workflow.named("warm"));

        loadOldWhile(key, () -> invalidator.invalidateEntities(tenant, "workflows", List.of("w1"), nodeA, nodeB));

        assertOldValueStoredNowhere(tenant, key);
    }

    /**
     * ADR 0023: the entity's counter, created by the held load's own read, is evicted from Redis before the write's
     * bump, which then leaves it missing rather than re-seeding it. The load still stores nothing: its store compares
     * against a counter the store's own script re-seeds from the clock.
     */
    @Test
    void anEntityLoadedBeforeItsInvalidationIsNotStoredAfterItWhenItsCounterWasEvictedMeanwhile() throws Exception {
        String tenant = tenant("evicted");
        CacheKey key = CacheKey.of(tenant, "workflows").entity("w1").resource("/api/workflows/w1").build();
        String counter = CacheKeys.entityGenerationKey(tenant, "workflows", "w1");

        loadOldWhile(key, () -> {
            assertThat(redisText("DEL", counter)).as("the load's read created the counter").isEqualTo("1");
            invalidator.invalidateEntities(tenant, "workflows", List.of("w1"), nodeA, nodeB);
            assertThat(redisText("EXISTS", counter)).as("the bump left it missing").isEqualTo("0");
        });

        assertOldValueStoredNowhere(tenant, key);
    }

    /** Node A loads {@code key}, reading "old" from its database, and is held there while {@code meanwhile} runs. */
    private void loadOldWhile(CacheKey key, Runnable meanwhile) throws Exception {
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

            meanwhile.run();
            invalidated.countDown();

            assertThat(slowRead.get(10, TimeUnit.SECONDS)).isEqualTo(Workflow.named("old"));
        } finally {
            pool.shutdownNow();
        }
    }

    private void assertOldValueStoredNowhere(String tenant, CacheKey key) {
        assertThat(nodeA.lookups().staleStoresRefused()).extracting(refused -> refused.tier())
                .contains(Tier.L1, Tier.L2_REDIS);
        assertThat(valuesInRedisUnder(CacheKeys.prefix(tenant, "workflows"))).noneMatch(json -> json.contains("old"));
        assertThat(nodeA.read(key, Workflow.class, () -> Workflow.named("new")))
                .isEqualTo(new Read<>(Workflow.named("new"), Tier.LOADER));
        assertThat(nodeB.read(key, Workflow.class, () -> Workflow.named("new-on-b")).value())
                .as("B reads A's fresh entry from Redis, never the old one").isEqualTo(Workflow.named("new"));
    }

    @Test
    void anEntityCounterIsNotListedInTheLedgerAndCarriesATtl() {
        String tenant = tenant("ledger");
        nodeA.read(CacheKey.of(tenant, "workflows").entity("e1").resource("/api/workflows/e1").build(), Workflow.class,
                () -> Workflow.named("e1"));
        invalidator.invalidateEntities(tenant, "workflows", List.of("e1"), nodeA);

        String counter = CacheKeys.entityGenerationKey(tenant, "workflows", "e1");
        assertThat(Long.parseLong(redisText("PTTL", counter))).isPositive();
        assertThat(redisText("HEXISTS", CacheKeys.ledgerKey(tenant), counter)).isEqualTo("0");
        assertThat(redisText("HEXISTS", CacheKeys.ledgerKey(tenant),
                CacheKeys.collectionsGenerationKey(tenant, "workflows"))).isEqualTo("1");
    }

    private final class Entries {
        final String tenant;
        final CacheKey a;
        final CacheKey b;
        final CacheKey stepsOfA;
        final CacheKey stepsOfB;
        final CacheKey list;
        final CacheKey unfiltered;
        String domainGeneration;

        Entries(String tenant) {
            this.tenant = tenant;
            a = CacheKey.of(tenant, "workflows").entity("a").resource("/api/workflows/a").build();
            b = CacheKey.of(tenant, "workflows").entity("b").resource("/api/workflows/b").build();
            stepsOfA = CacheKey.of(tenant, "workflows").derived("steps").entity("a").resource("/api/workflows/a/steps")
                    .build();
            stepsOfB = CacheKey.of(tenant, "workflows").derived("steps").entity("b").resource("/api/workflows/b/steps")
                    .build();
            list = CacheKey.of(tenant, "workflows").resource("/api/workflows").param("page", 0).build();
            unfiltered = CacheKey.of(tenant, "workflows").derived("steps").resource("/api/workflows/step-counts").build();
        }

        List<CacheKey> all() {
            return List.of(a, b, stepsOfA, stepsOfB, list, unfiltered);
        }

        void cacheOnBothNodes() {
            for (CacheKey key : all()) {
                String name = key == a ? "a" : key == b ? "b" : "old";
                assertThat(nodeA.read(key, Workflow.class, () -> Workflow.named(name)).tier()).isEqualTo(Tier.LOADER);
                assertThat(nodeB.read(key, Workflow.class, () -> Workflow.named("never")).tier())
                        .isEqualTo(Tier.L2_REDIS);
                assertThat(nodeB.read(key, Workflow.class, () -> Workflow.named("never")).tier()).isEqualTo(Tier.L1);
            }
            domainGeneration = redisText("GET", CacheKeys.generationKeyOfDomain(tenant, "workflows"));
        }
    }

    private String redisText(String... command) {
        return redis.text(command);
    }

    private List<String> valuesInRedisUnder(String prefix) {
        try (RedisClient client = RedisClient.create(redis.uri());
             StatefulRedisConnection<String, String> connection = client.connect()) {
            return connection.sync().keys(CacheKeys.scanPattern(prefix)).stream()
                    .map(key -> connection.sync().get(key)).toList();
        }
    }

    private static String tenant(String name) {
        return "t-" + name + "-" + UUID.randomUUID().toString().substring(0, 8);
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
}
