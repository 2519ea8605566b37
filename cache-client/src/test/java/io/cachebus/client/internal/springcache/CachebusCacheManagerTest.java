package io.cachebus.client.internal.springcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.cachebus.client.Tier;
import io.cachebus.client.event.CacheEvent;
import io.cachebus.client.internal.springcache.Catalog.Basket;
import io.cachebus.client.internal.springcache.Catalog.Opaque;
import io.cachebus.client.internal.springcache.Catalog.Product;
import io.cachebus.client.internal.springcache.Catalog.Products;
import io.cachebus.client.testsupport.Invalidator;
import io.cachebus.client.testsupport.Node;
import io.cachebus.local.junit.LocalKafkaExtension;
import io.cachebus.local.junit.RedisServerExtension;
import io.cachebus.local.kafka.BusTopics;
import io.cachebus.local.kafka.KafkaBroker;
import io.cachebus.local.redis.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Spring's cache annotations on two nodes sharing a database, a redis-server, an in-process Kafka broker and the real
 * invalidator: what an application gets from {@code @EnableCaching} and the cache-client dependency.
 */
@ExtendWith({RedisServerExtension.class, LocalKafkaExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CachebusCacheManagerTest {

    /** Awaited with {@code pollInSameThread()}: a call's tenant is a thread-local of the test's thread. */
    private static final Duration EVICTION_REACHES_THE_OTHER_NODE = Duration.ofSeconds(30);

    private Invalidator invalidator;
    private Node nodeA;
    private Node nodeB;
    private String product;

    @BeforeAll
    void start(KafkaBroker kafka, RedisServer redis) {
        BusTopics topics = BusTopics.create(kafka, "cache-manager");
        invalidator = Invalidator.start(kafka.bootstrapServers(), redis, topics);
        String database = Node.Builder.h2("cache-manager-" + UUID.randomUUID(), true);
        nodeA = node("cm-a", database, kafka, redis, topics);
        nodeB = node("cm-b", database, kafka, redis, topics);
        for (Node node : List.of(nodeA, nodeB)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> node.evictionListener().assignments() >= 1);
        }
    }

    private static Node node(String name, String database, KafkaBroker kafka, RedisServer redis, BusTopics topics) {
        return Node.named(name).with(Catalog.class).database(database).redis(redis).kafka(kafka.bootstrapServers())
                .topics(topics).evictions().start();
    }

    @AfterAll
    void stop() {
        for (AutoCloseable closeable : new AutoCloseable[] {nodeB, nodeA, invalidator}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Every test its own tenant and product: nothing one test cached is seen by another. */
    @BeforeEach
    void freshTenantAndProduct() {
        Catalog.TENANT.set("t-" + UUID.randomUUID().toString().substring(0, 8));
        product = "p-" + UUID.randomUUID().toString().substring(0, 8);
        products(nodeA).insert(product, "old");
    }

    @Test
    void theApplicationGetsCachebusAsItsCacheManager() {
        assertThat(nodeA.bean(CacheManager.class)).isInstanceOf(CachebusCacheManager.class);
    }

    @Test
    void cacheableMissesOnceThenHitsL1AndTheOtherNodeHitsRedis() {
        assertThat(read(nodeA, () -> products(nodeA).product(product)))
                .isEqualTo(new Answer(new Product(product, "old"), Tier.LOADER));
        assertThat(read(nodeA, () -> products(nodeA).product(product)).tier()).isEqualTo(Tier.L1);

        int databaseReadsOnB = products(nodeB).databaseReads();
        assertThat(read(nodeB, () -> products(nodeB).product(product)))
                .isEqualTo(new Answer(new Product(product, "old"), Tier.L2_REDIS));
        assertThat(read(nodeB, () -> products(nodeB).product(product)).tier()).isEqualTo(Tier.L1);
        assertThat(products(nodeB).databaseReads()).isEqualTo(databaseReadsOnB);
    }

    @Test
    void aSynchronizedCacheableAndAnOptionalResultTakeTheSamePath() {
        assertThat(read(nodeA, () -> products(nodeA).productSharingLoads(product)).tier()).isEqualTo(Tier.LOADER);
        assertThat(read(nodeA, () -> products(nodeA).productSharingLoads(product)).tier()).isEqualTo(Tier.L1);
        assertThat(read(nodeB, () -> products(nodeB).productSharingLoads(product)).tier())
                .isEqualTo(Tier.L2_REDIS);

        assertThat(read(nodeA, () -> products(nodeA).maybeProduct(product)))
                .isEqualTo(new Answer(java.util.Optional.of(new Product(product, "old")), Tier.LOADER));
        assertThat(read(nodeA, () -> products(nodeA).maybeProduct(product)).tier()).isEqualTo(Tier.L1);
    }

    @Test
    void aListIsReadBackFromRedisAsAListOfItsElementType() {
        List<Product> onA = products(nodeA).productsStartingWith(product);
        List<Product> onB = read(nodeB, () -> products(nodeB).productsStartingWith(product)).valueAs();
        assertThat(onB).isEqualTo(onA).containsExactly(new Product(product, "old"));
        assertThat(onB.get(0)).isInstanceOf(Product.class);
    }

    @Test
    void anEvictionInATransactionReachesTheOtherNodeAndTheWriterReadsItsWriteAtOnce() {
        products(nodeA).product(product);
        products(nodeB).product(product);
        assertThat(read(nodeB, () -> products(nodeB).product(product)).tier()).isEqualTo(Tier.L1);

        products(nodeA).rename(product, "new");

        assertThat(outboxRows(nodeA, "products")).as("the eviction is an outbox row of the tenant's cache").isOne();
        assertThat(products(nodeA).product(product).name()).as("read-your-writes, no wait").isEqualTo("new");
        await().atMost(EVICTION_REACHES_THE_OTHER_NODE).pollInSameThread()
                .until(() -> products(nodeB).product(product).name().equals("new"));
    }

    @Test
    void anAllEntriesEvictionOutsideATransactionReachesTheOtherNodeInATransactionOfItsOwn() {
        String other = product + "x";
        products(nodeA).insert(other, "other-old");
        products(nodeB).product(product);
        products(nodeB).product(other);
        products(nodeB).productsStartingWith(product);
        products(nodeA).productsStartingWith(product);

        products(nodeA).renameWithoutTransaction(other, "other-new");

        assertThat(products(nodeA).product(other).name()).isEqualTo("other-new");
        assertThat(products(nodeA).productsStartingWith(product)).extracting(Product::name)
                .containsExactly("old", "other-new");
        // one event per cache, each in a transaction of its own: the two may reach node B apart, so both are awaited
        await().atMost(EVICTION_REACHES_THE_OTHER_NODE).pollInSameThread()
                .until(() -> products(nodeB).product(other).name().equals("other-new"));
        await().atMost(EVICTION_REACHES_THE_OTHER_NODE).pollInSameThread()
                .until(() -> products(nodeB).productsStartingWith(product).stream().map(Product::name).toList()
                        .equals(List.of("old", "other-new")));
    }

    @Test
    void aCachePutInvalidatesEveryNodeWhichThenReadsTheWrite() {
        products(nodeA).product(product);
        products(nodeB).product(product);

        assertThat(products(nodeA).replace(product, "put")).isEqualTo(new Product(product, "put"));

        assertThat(read(nodeA, () -> products(nodeA).product(product))).as("the put stored nothing: loaded again")
                .isEqualTo(new Answer(new Product(product, "put"), Tier.LOADER));
        await().atMost(EVICTION_REACHES_THE_OTHER_NODE).pollInSameThread()
                .until(() -> products(nodeB).product(product).name().equals("put"));
    }

    /**
     * The stale re-fill race through Spring's lookup, method call and put: node A reads the old row, then node B
     * renames it and the eviction reaches node A (so Redis's generation has moved too: the invalidator bumps it before
     * it broadcasts), and only then does A's read store what it loaded. Neither A's L1 nor Redis may keep it.
     */
    @Test
    void aReadThatStartedBeforeAnEvictionDoesNotStoreItsOldValue() throws Exception {
        String sibling = product + "-sibling";
        products(nodeA).insert(sibling, "sibling");
        products(nodeA).product(sibling);
        Products onA = products(nodeA);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch rowRead = onA.holdNextReadAfterItsRow(release);
        String tenant = Catalog.TENANT.get();
        nodeA.lookups().clear();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Product> slowRead = pool.submit(() -> {
                Catalog.TENANT.set(tenant);
                return onA.product(product);
            });
            assertThat(rowRead.await(10, TimeUnit.SECONDS)).isTrue();

            products(nodeB).rename(product, "new");
            // the eviction of the whole cache has reached A once the sibling it held in L1 is gone from there
            await().atMost(EVICTION_REACHES_THE_OTHER_NODE).pollInSameThread()
                    .until(() -> read(nodeA, () -> products(nodeA).product(sibling)).tier() != Tier.L1);
            release.countDown();

            assertThat(slowRead.get(10, TimeUnit.SECONDS).name()).as("its caller gets what it read").isEqualTo("old");
        } finally {
            pool.shutdownNow();
        }

        assertThat(products(nodeA).product(product).name()).isEqualTo("new");
        assertThat(read(nodeB, () -> products(nodeB).product(product)).value()).isEqualTo(new Product(product, "new"));
        assertThat(nodeA.lookups().staleStoresRefused()).extracting(CacheEvent.StaleStoreRefused::tier)
                .contains(Tier.L1, Tier.L2_REDIS);
    }

    @Test
    void twoTenantsWithTheSameKeyNeverShareAnEntryOrAnEviction() {
        String first = Catalog.TENANT.get();
        String second = "t-" + UUID.randomUUID().toString().substring(0, 8);
        Catalog.TENANT.set(second);
        products(nodeA).insert(product, "second's");
        assertThat(read(nodeA, () -> products(nodeA).product(product)))
                .isEqualTo(new Answer(new Product(product, "second's"), Tier.LOADER));

        Catalog.TENANT.set(first);
        assertThat(read(nodeA, () -> products(nodeA).product(product)))
                .isEqualTo(new Answer(new Product(product, "old"), Tier.LOADER));
        products(nodeA).rename(product, "first's new");

        Catalog.TENANT.set(second);
        assertThat(read(nodeA, () -> products(nodeA).product(product)))
                .as("the first tenant's eviction leaves the second's entries")
                .isEqualTo(new Answer(new Product(product, "second's"), Tier.L1));
    }

    @Test
    void aCallerThatChangesWhatItGotChangesNobodyElsesValue() {
        products(nodeA).basket(product).items().add("from a careless caller");
        Answer second = read(nodeA, () -> products(nodeA).basket(product));
        second.<Basket>valueAs().items().add("from another careless caller");

        assertThat(second.tier()).isEqualTo(Tier.L1);
        assertThat(products(nodeA).basket(product).items()).containsExactly("apple");
    }

    @Test
    void aKeyWithoutAStableTextIsRefusedNamingItsType() {
        assertThatThrownBy(() -> products(nodeA).byOpaqueKey(new Opaque()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Opaque.class.getName()).hasMessageContaining("Object.toString()");
    }

    @Test
    void anEvictionBeforeAWriteOutsideATransactionIsRefused() {
        assertThatThrownBy(() -> products(nodeA).renameEvictingFirst(product, "new"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("beforeInvocation");
        assertThat(products(nodeA).product(product).name()).as("the write did not run").isEqualTo("old");
    }

    @Test
    void programmaticUseReadsTypedAndRefusesUntypedReads() {
        products(nodeA).product(product);
        Cache cache = nodeA.bean(CacheManager.class).getCache("products");

        assertThat(cache.get(product, Product.class)).isEqualTo(new Product(product, "old"));
        assertThatThrownBy(() -> cache.get(product)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("get(key, Class)");
        cache.evict(product);
        assertThat(cache.get(product, Product.class)).as("evicted on this node at once").isNull();
    }

    @Test
    void aCacheNameThatCannotBeADomainIsRefused() {
        assertThatThrownBy(() -> nodeA.bean(CacheManager.class).getCache("products:all"))
                .hasMessageContaining("cache name");
    }

    /** The outbox rows of the current tenant's cache {@code name} (sent rows stay until the retention purges them). */
    private static long outboxRows(Node node, String name) {
        return node.bean(JdbcTemplate.class).queryForObject(
                "SELECT COUNT(*) FROM cachebus_outbox WHERE tenant = ? AND domain = ?", Long.class,
                Catalog.TENANT.get(), name);
    }

    private static Products products(Node node) {
        return node.bean(Products.class);
    }

    private static Answer read(Node node, Supplier<?> call) {
        node.lookups().takeLastTier();
        Object value = call.get();
        return new Answer(value, node.lookups().takeLastTier());
    }

    private record Answer(Object value, Tier tier) {
        @SuppressWarnings("unchecked")
        <T> T valueAs() {
            return (T) value;
        }
    }
}
