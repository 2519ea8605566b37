package io.cachebus.client.internal.springcache;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.client.CacheKey;
import io.cachebus.client.internal.springcache.Catalog.Products;
import io.cachebus.client.testsupport.Node;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The consistency sampler re-runs a sampled hit's loader on a thread of its own. The loader of a
 * {@code @Cacheable(sync = true)} is the application's method, which may read the request's thread (its security
 * context, its tenant): it must never run there, so the cache manager's hits are not sampled.
 */
class CachebusCacheManagerSamplingTest {

    @Test
    void aSynchronizedCacheableIsNeverRunAgainByTheSampler() throws Exception {
        try (Node node = Node.named("cm-sampling").with(Catalog.class)
                .property("cachebus.consistency.sampling.rate", "1").start()) {
            Catalog.TENANT.set("t-" + UUID.randomUUID().toString().substring(0, 8));
            Products products = node.bean(Products.class);
            products.insert("p1", "v");
            products.productSharingLoads("p1");
            products.productSharingLoads("p1");
            int readsByTheCaller = products.databaseReads();

            // a hit of the tiered cache itself is sampled; the sampler has one thread, so once this sample's loader
            // has run, a sample taken of the hit above would have run too
            CacheKey other = CacheKey.of("t-other", "other").resource("x").build();
            node.cache().get(other, String.class, () -> "v");
            CountDownLatch sampled = new CountDownLatch(1);
            node.cache().get(other, String.class, () -> {
                sampled.countDown();
                return "v";
            });
            assertThat(sampled.await(30, TimeUnit.SECONDS)).isTrue();

            assertThat(products.databaseReads()).isEqualTo(readsByTheCaller);
        }
    }
}
