package io.cachebus.client.internal.springcache;

import io.cachebus.client.TenantResolver;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;

/**
 * A plain service written against Spring's cache annotations only, on a table every node of a test shares: what an
 * application brings to cachebus's {@code CacheManager}. The tenant of each call is {@link #TENANT}'s.
 */
@Configuration(proxyBeanMethods = false)
@EnableCaching
public class Catalog {

    /** The current call's tenant, set by the test. */
    public static final ThreadLocal<String> TENANT = ThreadLocal.withInitial(() -> "t1");

    static final String SCHEMA = """
            CREATE TABLE IF NOT EXISTS products (tenant_id VARCHAR(64) NOT NULL, id VARCHAR(64) NOT NULL,
                                                 name VARCHAR(100) NOT NULL, PRIMARY KEY (tenant_id, id))""";

    public record Product(String id, String name) {
    }

    /** A value a careless caller might change: its list is mutable. */
    public record Basket(String id, List<String> items) {
    }

    /** A key part whose text differs in every JVM. */
    public static final class Opaque {
    }

    @Bean
    public TenantResolver testTenants() {
        return TENANT::get;
    }

    @Bean
    public Products products(JdbcTemplate jdbc) {
        jdbc.execute(SCHEMA);
        return new Products(jdbc);
    }

    public static class Products {

        // accessed through methods only: the caching proxy of this class has fields of its own, never set
        private final JdbcTemplate jdbc;
        private final AtomicInteger databaseReads = new AtomicInteger();
        private volatile CountDownLatch holdAfterRead;
        private volatile CountDownLatch rowRead;

        Products(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        /** Rows this node read from the database. */
        public int databaseReads() {
            return databaseReads.get();
        }

        /**
         * Makes the next {@link #product} wait on {@code release} after it read its row (to race it against a write).
         *
         * @return counted down once that read has read its row
         */
        public CountDownLatch holdNextReadAfterItsRow(CountDownLatch release) {
            rowRead = new CountDownLatch(1);
            holdAfterRead = release;
            return rowRead;
        }

        @Cacheable("products")
        public Product product(String id) {
            Product product = read(id);
            CountDownLatch hold = holdAfterRead;
            if (hold != null) {
                holdAfterRead = null;
                rowRead.countDown();
                awaitQuietly(hold);
            }
            return product;
        }

        @Cacheable(cacheNames = "products", key = "'sync:' + #id", sync = true)
        public Product productSharingLoads(String id) {
            return read(id);
        }

        @Cacheable("products")
        public Optional<Product> maybeProduct(String id) {
            return Optional.of(read(id));
        }

        @Cacheable(cacheNames = "product-lists", key = "#prefix")
        public List<Product> productsStartingWith(String prefix) {
            databaseReads.incrementAndGet();
            return jdbc.query("SELECT id, name FROM products WHERE tenant_id = ? AND id LIKE ? ORDER BY id",
                    (rs, row) -> new Product(rs.getString("id"), rs.getString("name")), TENANT.get(), prefix + "%");
        }

        @Cacheable("baskets")
        public Basket basket(String id) {
            databaseReads.incrementAndGet();
            return new Basket(id, new ArrayList<>(List.of("apple")));
        }

        @Cacheable("products")
        public Product byOpaqueKey(Opaque key) {
            return read("p1");
        }

        /** A write in a transaction that evicts one key: the event commits with the row. */
        @Transactional
        @CacheEvict(cacheNames = "products", key = "#id")
        public void rename(String id, String name) {
            jdbc.update("UPDATE products SET name = ? WHERE tenant_id = ? AND id = ?", name, TENANT.get(), id);
        }

        /** A write outside any transaction (auto-commit) that empties the cache. */
        @CacheEvict(cacheNames = {"products", "product-lists"}, allEntries = true)
        public void renameWithoutTransaction(String id, String name) {
            jdbc.update("UPDATE products SET name = ? WHERE tenant_id = ? AND id = ?", name, TENANT.get(), id);
        }

        @Transactional
        @CachePut(cacheNames = "products", key = "#id")
        public Product replace(String id, String name) {
            jdbc.update("UPDATE products SET name = ? WHERE tenant_id = ? AND id = ?", name, TENANT.get(), id);
            return new Product(id, name);
        }

        @CacheEvict(cacheNames = "products", key = "#id", beforeInvocation = true)
        public void renameEvictingFirst(String id, String name) {
            jdbc.update("UPDATE products SET name = ? WHERE tenant_id = ? AND id = ?", name, TENANT.get(), id);
        }

        public void insert(String id, String name) {
            jdbc.update("INSERT INTO products (tenant_id, id, name) VALUES (?, ?, ?)", TENANT.get(), id, name);
        }

        private Product read(String id) {
            databaseReads.incrementAndGet();
            return jdbc.queryForObject("SELECT id, name FROM products WHERE tenant_id = ? AND id = ?",
                    (rs, row) -> new Product(rs.getString("id"), rs.getString("name")), TENANT.get(), id);
        }

        private static void awaitQuietly(CountDownLatch latch) {
            try {
                latch.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
