package io.cachebus.client.internal.springcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cachebus.client.Tier;
import io.cachebus.client.internal.springcache.Catalog.Products;
import io.cachebus.client.internal.tiered.CacheInstrumentation;
import io.cachebus.client.testsupport.Invalidator;
import io.cachebus.client.testsupport.Node;
import io.cachebus.local.junit.LocalKafkaExtension;
import io.cachebus.local.junit.RedisServerExtension;
import io.cachebus.local.kafka.BusTopics;
import io.cachebus.local.kafka.KafkaBroker;
import io.cachebus.local.redis.RedisServer;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code @Cacheable} keeps the staleness bound: once the invalidator stops and a write waits in Kafka for longer than
 * the bound, the node reads every call through to the database and stores nothing, like any read of the tiered cache.
 */
@ExtendWith({RedisServerExtension.class, LocalKafkaExtension.class})
class CachebusCacheManagerBoundTest {

    private static final Duration BOUND = Duration.ofSeconds(1);
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void withTheInvalidatorStoppedCacheableReadsGoToTheDatabaseOnceAWriteIsOlderThanTheBound(KafkaBroker kafka,
            RedisServer redis) {
        BusTopics topics = BusTopics.create(kafka, "cache-manager-bound");
        Invalidator invalidator = Invalidator.start(kafka.bootstrapServers(), redis, topics);
        try (Node node = Node.named("cm-bound").with(Catalog.class).redis(redis).kafka(kafka.bootstrapServers())
                .topics(topics).evictions().stalenessBound(BOUND).start()) {
            Catalog.TENANT.set("t-" + UUID.randomUUID().toString().substring(0, 8));
            Products products = node.bean(Products.class);
            products.insert("p1", "old");
            products.insert("p2", "other");
            // polled in this thread: the tenant is a thread-local of this thread's
            await().atMost(WAIT).pollInSameThread().until(() -> tier(node, () -> products.product("p2")) == Tier.L1);

            invalidator.close();
            products.rename("p1", "new");
            double readsThrough = node.count(CacheInstrumentation.READ_THROUGH, "domain", "products");

            // (the write's own local eviction makes one read a miss: the bound is seen in the read-through counter)
            await().atMost(WAIT).pollInSameThread().until(() -> {
                products.product("p2");
                return node.count(CacheInstrumentation.READ_THROUGH, "domain", "products") > readsThrough;
            });
            assertThat(tier(node, () -> products.product("p2"))).as("every read, nothing stored")
                    .isEqualTo(Tier.LOADER);
            assertThat(tier(node, () -> products.productSharingLoads("p2"))).as("sync = true too")
                    .isEqualTo(Tier.LOADER);
        } finally {
            invalidator.close();
        }
    }

    private static Tier tier(Node node, Supplier<?> call) {
        node.lookups().takeLastTier();
        call.get();
        return node.lookups().takeLastTier();
    }
}
