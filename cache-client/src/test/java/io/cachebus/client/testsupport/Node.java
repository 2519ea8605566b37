package io.cachebus.client.testsupport;

import io.cachebus.client.CacheKey;
import io.cachebus.client.MutationPublisher;
import io.cachebus.client.TieredCache;
import io.cachebus.client.internal.eviction.EvictionListener;
import io.cachebus.client.internal.outbox.OutboxRelay;
import io.cachebus.client.sql.SqlCache;
import io.cachebus.local.kafka.BusTopics;
import io.cachebus.local.redis.RedisCluster;
import io.cachebus.local.redis.RedisServer;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/** One API node (a Spring Boot context of {@link TestApplication}) on real Kafka, Redis and a database. */
public final class Node implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private Node(ConfigurableApplicationContext context) {
        this.context = context;
    }

    public static Builder named(String name) {
        return new Builder(name);
    }

    public <T> Read<T> read(CacheKey key, Class<T> type, Supplier<T> loader) {
        LookupRecorder recorder = bean(LookupRecorder.class);
        recorder.takeLastTier();
        T value = cache().get(key, type, loader);
        return new Read<>(value, recorder.takeLastTier());
    }

    public TieredCache cache() {
        return bean(TieredCache.class);
    }

    public SqlCache sql() {
        return bean(SqlCache.class);
    }

    public MutationPublisher publisher() {
        return bean(MutationPublisher.class);
    }

    public TransactionTemplate transactions() {
        return bean(TransactionTemplate.class);
    }

    public JdbcTemplate jdbc() {
        return bean(JdbcTemplate.class);
    }

    public LookupRecorder lookups() {
        return bean(LookupRecorder.class);
    }

    public OutboxRelay relay() {
        return bean(OutboxRelay.class);
    }

    public EvictionListener evictionListener() {
        return bean(EvictionListener.class);
    }

    public CircuitBreaker redisBreaker() {
        return bean(CircuitBreakerRegistry.class).circuitBreaker("cachebus-redis");
    }

    public Health cachebusHealth() {
        return context.getBean("cachebusHealthIndicator", HealthIndicator.class).health();
    }

    public MeterRegistry meters() {
        return bean(MeterRegistry.class);
    }

    /** The sum of a counter over all its tag values matching {@code tags} (key, value, ...). */
    public double count(String name, String... tags) {
        return meters().find(name).tags(tags).counters().stream().mapToDouble(Counter::count).sum();
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    public ConfigurableApplicationContext context() {
        return context;
    }

    @Override
    public void close() {
        context.close();
    }

    public static final class Builder {
        private final Map<String, Object> properties = new LinkedHashMap<>();
        private final List<Class<?>> sources = new ArrayList<>(List.of(TestApplication.class));

        private Builder(String name) {
            properties.put("spring.main.banner-mode", "off");
            // no application.yml of the test classpath applies to a node (the invalidator's, for one, is there)
            properties.put("spring.config.name", "cachebus-test-node");
            properties.put("spring.application.name", name);
            properties.put("cachebus.node-id", name);
            properties.put("spring.datasource.url", h2("node-" + name + "-" + UUID.randomUUID(), true));
            properties.put("cachebus.eviction.enabled", "false");
            // most node tests run a stand-in invalidator that sends no progress: a test of the bound turns it on
            properties.put("cachebus.consistency.enforce", "false");
            properties.put("cachebus.l2.enabled", "false");
            properties.put("spring.kafka.bootstrap-servers", "127.0.0.1:9");
            // a sampled hit runs its loader again in the background: tests count loader calls
            properties.put("cachebus.consistency.sampling.rate", "0");
        }

        /** An in-memory H2 database that lives as long as the JVM, shared by the nodes naming it. */
        public static String h2(String name, boolean postgresMode) {
            return "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1" + (postgresMode ? ";MODE=PostgreSQL" : "");
        }

        public Builder redis(RedisServer redis) {
            properties.put("spring.data.redis.host", redis.host());
            properties.put("spring.data.redis.port", String.valueOf(redis.port()));
            return redisAsL2();
        }

        /** Redis Cluster as L2, found through some of its nodes as a production node would. */
        public Builder redis(RedisCluster cluster) {
            properties.put("spring.data.redis.cluster.nodes", cluster.nodeAddresses());
            return redisAsL2();
        }

        private Builder redisAsL2() {
            properties.put("cachebus.l2.enabled", "true");
            // Tests assert which tier answered; on a loaded build machine a Redis call can exceed the production
            // 100 ms limit and (correctly) fall back, so tests allow 1 s unless they test the limit itself.
            properties.put("cachebus.l2.redis-timeout", "1s");
            return this;
        }

        public Builder kafka(String bootstrapServers) {
            properties.put("spring.kafka.bootstrap-servers", bootstrapServers);
            return this;
        }

        public Builder evictions() {
            properties.put("cachebus.eviction.enabled", "true");
            return this;
        }

        /** Enforces the staleness bound (needs {@link #evictions()} and a real invalidator sending progress). */
        public Builder stalenessBound(Duration maxStaleness) {
            properties.put("cachebus.consistency.enforce", "true");
            properties.put("cachebus.consistency.max-staleness", maxStaleness.toMillis() + "ms");
            return this;
        }

        public Builder database(String jdbcUrl) {
            properties.put("spring.datasource.url", jdbcUrl);
            return this;
        }

        /** Publishes to and listens on a test's own topics (the invalidator it starts reads and writes them). */
        public Builder topics(BusTopics topics) {
            properties.put("cachebus.mutation-topic", topics.mutations());
            properties.put("cachebus.eviction.topic", topics.evictions());
            return this;
        }

        /** Application classes of a test (its services, {@code @EnableCaching}) added to the bare node. */
        public Builder with(Class<?>... applicationClasses) {
            sources.addAll(List.of(applicationClasses));
            return this;
        }

        public Builder property(String name, Object value) {
            properties.put(name, value);
            return this;
        }

        /**
         * Properties go in as command-line arguments, above system properties: every in-process Kafka broker sets
         * the system property {@code spring.kafka.bootstrap-servers} to itself, and with two brokers in one JVM
         * (the shared one and an outage test's own) the last one started would otherwise win for every node.
         */
        public Node start() {
            String[] args = properties.entrySet().stream().map(p -> "--" + p.getKey() + "=" + p.getValue())
                    .toArray(String[]::new);
            return new Node(new SpringApplicationBuilder(sources.toArray(Class<?>[]::new))
                    .web(WebApplicationType.NONE)
                    .run(args));
        }
    }
}
