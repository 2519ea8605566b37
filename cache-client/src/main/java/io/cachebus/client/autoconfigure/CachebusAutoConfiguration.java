package io.cachebus.client.autoconfigure;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.cachebus.client.MutationPublisher;
import io.cachebus.client.TieredCache;
import io.cachebus.client.internal.consistency.ConsistencySampler;
import io.cachebus.client.event.CacheEventListener;
import io.cachebus.client.internal.eviction.EvictionBroadcastHandler;
import io.cachebus.client.internal.eviction.EvictionListener;
import io.cachebus.client.internal.outbox.OutboxRelay;
import io.cachebus.client.internal.outbox.OutboxSchema;
import io.cachebus.client.internal.outbox.TransactionalMutationPublisher;
import io.cachebus.client.internal.tiered.CacheInstrumentation;
import io.cachebus.client.internal.tiered.DefaultTieredCache;
import io.cachebus.client.internal.tiered.FallbackStore;
import io.cachebus.client.internal.tiered.KnownRedisGenerations;
import io.cachebus.client.internal.tiered.LocalGenerations;
import io.cachebus.client.internal.tiered.LocalInvalidation;
import io.cachebus.client.internal.tiered.ReadYourWrites;
import io.cachebus.client.internal.tiered.RedisEntryStore;
import io.cachebus.client.internal.tiered.ValueCodec;
import io.cachebus.events.EventCodec;
import io.cachebus.client.internal.consistency.EnforcedStalenessBound;
import io.cachebus.client.internal.consistency.FreshnessProbe;
import io.cachebus.client.internal.consistency.InvalidationWatermarks;
import io.cachebus.client.internal.consistency.KafkaEndOffsets;
import io.cachebus.client.internal.consistency.StalenessGate;
import io.cachebus.client.internal.outbox.OutboxBacklog;
import io.cachebus.client.internal.tiered.ReadGuards;
import io.cachebus.client.internal.tiered.RedisPendingScopes;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedBulkheadMetrics;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientConfigurationBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;
import org.springframework.kafka.support.ProducerListener;
import tools.jackson.databind.json.JsonMapper;

/**
 * Everything an API node needs from cachebus, by adding the dependency: the {@link TieredCache} (L1 Caffeine, L2
 * Redis when the application has a {@link RedisConnectionFactory}, else the in-memory fallback), the
 * {@link MutationPublisher} over a transactional outbox (when it has a {@link DataSource}), the node's eviction
 * subscription, the {@code cachebus-redis} circuit breaker, metrics and the {@code cachebus} health indicator.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
        "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration",
        "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
        "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
        "io.github.resilience4j.springboot.circuitbreaker.autoconfigure.CircuitBreakerAutoConfiguration"})
@EnableConfigurationProperties(CachebusProperties.class)
public class CachebusAutoConfiguration {

    /** The resilience4j circuit breaker instance guarding every Redis call of the cache. */
    public static final String REDIS_BREAKER = "cachebus-redis";

    /**
     * How the consumer group of every node's eviction listener begins (then the node id and a random suffix): a
     * Kafka ACL on this prefix lets the API nodes' user join their groups and no other.
     */
    public static final String EVICTION_GROUP_PREFIX = "cachebus-evictions-";

    /** The resilience4j bulkhead bounding reads sent to the database because the node is behind the bound. */
    public static final String READ_THROUGH_BULKHEAD = "cachebus-read-through";

    @Bean
    @ConditionalOnMissingBean
    public NodeIdentity cachebusNodeIdentity(CachebusProperties properties) {
        return NodeIdentity.resolve(properties.getNodeId());
    }

    @Bean
    @ConditionalOnMissingBean
    public EventCodec cachebusEventCodec() {
        return new EventCodec();
    }

    @Bean
    public LocalInvalidation cachebusLocalInvalidation(CachebusProperties properties) {
        CachebusProperties.Fallback fallback = properties.getFallback();
        return new LocalInvalidation(new LocalGenerations(properties.getMaxTrackedScopes()),
                new FallbackStore(fallback.getMaxSize(), fallback.getTtl()));
    }

    @Bean
    public KnownRedisGenerations cachebusKnownRedisGenerations(CachebusProperties properties) {
        // refreshed as often as L1 expires: a lost broadcast then costs no more staleness in L2 than in L1
        return new KnownRedisGenerations(properties.getMaxTrackedScopes(), properties.getL1().getTtl());
    }

    @Bean
    public ReadYourWrites cachebusReadYourWrites(CachebusProperties properties) {
        return new ReadYourWrites(properties.getReadYourWrites().getMaxWait());
    }

    /** The invalidators' progress as read on this node's eviction subscription. */
    @Bean
    public InvalidationWatermarks cachebusInvalidationWatermarks(CachebusProperties properties) {
        return new InvalidationWatermarks(Clock.systemUTC(), properties.getConsistency().getMaxStaleness());
    }

    @Bean
    public RedisPendingScopes cachebusRedisPendingScopes(CachebusProperties properties,
            InvalidationWatermarks watermarks) {
        CachebusProperties.Consistency consistency = properties.getConsistency();
        return new RedisPendingScopes(consistency.getRedisPendingMaxScopes(), consistency.getMaxStaleness(),
                Clock.systemUTC(), watermarks::redisWorkPending);
    }

    /** Applies eviction broadcasts to this node, however they arrive (the Kafka subscription below, by default). */
    @Bean
    public EvictionBroadcastHandler cachebusEvictionBroadcastHandler(CachebusProperties properties,
            LocalInvalidation localInvalidation, KnownRedisGenerations knownRedisGenerations,
            ReadYourWrites readYourWrites, RedisPendingScopes redisPending, NodeIdentity node,
            ObjectProvider<MeterRegistry> meterRegistry) {
        return new EvictionBroadcastHandler(localInvalidation, knownRedisGenerations, readYourWrites, redisPending,
                properties.getMaxTrackedScopes(), node.id(), Clock.systemUTC(), meterRegistry(meterRegistry));
    }

    /** Checks a sample of the cache's hits against the database, off the request path. */
    @Bean(destroyMethod = "close")
    public ConsistencySampler cachebusConsistencySampler(CachebusProperties properties,
            ObjectProvider<JsonMapper> jsonMapper, ObjectProvider<MeterRegistry> meterRegistry) {
        CachebusProperties.Sampling sampling = properties.getConsistency().getSampling();
        return new ConsistencySampler(new ConsistencySampler.Settings(sampling.getRate(), sampling.getConfirmAfter(),
                sampling.getMaxTracking(), sampling.getMaxPending()), valueCodec(jsonMapper),
                meterRegistry(meterRegistry));
    }

    @Bean
    @ConditionalOnMissingBean(TieredCache.class)
    public DefaultTieredCache cachebusTieredCache(CachebusProperties properties, LocalInvalidation localInvalidation,
            KnownRedisGenerations knownRedisGenerations, ReadYourWrites readYourWrites,
            RedisPendingScopes redisPending, ObjectProvider<StalenessGate> gate,
            ObjectProvider<RedisEntryStore> redis, ObjectProvider<JsonMapper> jsonMapper,
            ObjectProvider<MeterRegistry> meterRegistry, ObjectProvider<CacheEventListener> listeners,
            ConsistencySampler consistencySampler) {
        CachebusProperties.L1 l1 = properties.getL1();
        Cache<String, Object> l1Cache = l1.getMaxSize() == 0 ? null
                : Caffeine.newBuilder().maximumSize(l1.getMaxSize()).expireAfterWrite(l1.getTtl()).build();
        CacheInstrumentation instrumentation = new CacheInstrumentation(meterRegistry(meterRegistry),
                listeners.orderedStream().toList());
        CachebusProperties.Consistency consistency = properties.getConsistency();
        BulkheadRegistry bulkheads = BulkheadRegistry.of(BulkheadConfig.custom()
                .maxConcurrentCalls(consistency.getReadThroughMaxConcurrent())
                .maxWaitDuration(consistency.getReadThroughMaxWait())
                .build());
        Bulkhead readThrough = bulkheads.bulkhead(READ_THROUGH_BULKHEAD);
        TaggedBulkheadMetrics.ofBulkheadRegistry(bulkheads).bindTo(meterRegistry(meterRegistry));
        return new DefaultTieredCache(l1Cache, localInvalidation, redis.getIfAvailable(), knownRedisGenerations,
                readYourWrites, valueCodec(jsonMapper), instrumentation,
                new ReadGuards(gate.getIfAvailable(() -> StalenessGate.UNENFORCED), redisPending, readThrough,
                        consistencySampler, properties.getSharedLoadMaxWait()));
    }

    /** The same JSON for the cache and the sampler: a sampled hit is compared in the encoding L2 stores. */
    private static ValueCodec valueCodec(ObjectProvider<JsonMapper> jsonMapper) {
        return new ValueCodec(jsonMapper.getIfUnique(() -> JsonMapper.builder().build()));
    }

    private static MeterRegistry meterRegistry(ObjectProvider<MeterRegistry> registry) {
        return registry.getIfAvailable(SimpleMeterRegistry::new);
    }

    /** Redis as L2, when the application has Redis and did not turn it off. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({RedisConnectionFactory.class, StringRedisTemplate.class})
    @ConditionalOnSingleCandidate(RedisConnectionFactory.class)
    @ConditionalOnProperty(prefix = "cachebus.l2", name = "enabled", havingValue = "true", matchIfMissing = true)
    static class RedisL2Configuration {

        /** The cluster topology refresh period cachebus sets when the application did not choose one. */
        static final long CLUSTER_REFRESH_SECONDS = 10;

        @Bean
        public RedisEntryStore cachebusRedisEntryStore(CachebusProperties properties,
                RedisConnectionFactory connectionFactory, KnownRedisGenerations knownRedisGenerations,
                ObjectProvider<CircuitBreakerRegistry> breakers, ObjectProvider<MeterRegistry> meterRegistry) {
            StringRedisTemplate redis = new StringRedisTemplate(connectionFactory);
            redis.afterPropertiesSet();
            CircuitBreaker breaker = redisBreaker(properties.getL2(), breakers, meterRegistry);
            return new RedisEntryStore(redis, breaker, knownRedisGenerations, properties.getL2().getTtl(),
                    properties.getL2().getGenerationTtl());
        }

        /**
         * Lettuce waits 60 s for an answer by default; a cache must give up after {@code cachebus.l2.redis-timeout}.
         * Left alone when the application set {@code spring.data.redis.timeout} itself.
         */
        @Bean
        @ConditionalOnClass(LettuceClientConfigurationBuilderCustomizer.class)
        public LettuceClientConfigurationBuilderCustomizer cachebusRedisCommandTimeout(CachebusProperties properties,
                ObjectProvider<DataRedisProperties> redisProperties) {
            return builder -> {
                if (!applicationSet(redisProperties, DataRedisProperties::getTimeout)) {
                    builder.commandTimeout(properties.getL2().getRedisTimeout());
                }
            };
        }

        private static boolean applicationSet(ObjectProvider<DataRedisProperties> redisProperties,
                Function<DataRedisProperties, Duration> setting) {
            DataRedisProperties configured = redisProperties.getIfAvailable();
            return configured != null && setting.apply(configured) != null;
        }

        /**
         * Lettuce waits 10 s for a TCP connect by default, and a node that cannot reach Redis would hold requests that
         * long; {@code cachebus.l2.redis-connect-timeout} applies unless the application set
         * {@code spring.data.redis.connect-timeout} itself (Spring Boot then sets the socket options).
         */
        @Bean
        @ConditionalOnClass(LettuceClientOptionsBuilderCustomizer.class)
        public LettuceClientOptionsBuilderCustomizer cachebusRedisConnectTimeout(CachebusProperties properties,
                ObjectProvider<DataRedisProperties> redisProperties) {
            return builder -> {
                if (!applicationSet(redisProperties, DataRedisProperties::getConnectTimeout)) {
                    builder.socketOptions(SocketOptions.builder()
                            .connectTimeout(properties.getL2().getRedisConnectTimeout()).build());
                }
            };
        }

        /**
         * On Redis Cluster, Lettuce must learn a new topology soon after a failover, or commands for the failed
         * primary's slots keep going to a dead node. Spring Boot sets only a refresh period, and none by default; this
         * turns on a periodic refresh every {@value #CLUSTER_REFRESH_SECONDS} s plus every adaptive trigger (MOVED,
         * ASK, unknown node, uncovered slot, repeated reconnects), unless the application set
         * {@code spring.data.redis.lettuce.cluster.refresh.period} itself. Nothing changes for a standalone Redis.
         */
        @Bean
        @ConditionalOnClass({LettuceClientOptionsBuilderCustomizer.class, ClusterClientOptions.class})
        public LettuceClientOptionsBuilderCustomizer cachebusRedisClusterTopologyRefresh(
                ObjectProvider<DataRedisProperties> redisProperties) {
            return builder -> {
                if (!(builder instanceof ClusterClientOptions.Builder cluster)) {
                    return;
                }
                DataRedisProperties configured = redisProperties.getIfAvailable();
                DataRedisProperties.Lettuce.Cluster.Refresh refresh = configured == null ? null
                        : configured.getLettuce().getCluster().getRefresh();
                if (refresh != null && refresh.getPeriod() != null) {
                    return;
                }
                cluster.topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                        .dynamicRefreshSources(refresh == null || refresh.isDynamicRefreshSources())
                        .enablePeriodicRefresh(Duration.ofSeconds(CLUSTER_REFRESH_SECONDS))
                        .enableAdaptiveRefreshTrigger(ClusterTopologyRefreshOptions.RefreshTrigger.values())
                        .build());
            };
        }

        private static CircuitBreaker redisBreaker(CachebusProperties.L2 l2,
                ObjectProvider<CircuitBreakerRegistry> breakers, ObjectProvider<MeterRegistry> meterRegistry) {
            CircuitBreakerRegistry registry = breakers.getIfAvailable(() -> {
                // no resilience4j auto-configuration: bind the breaker's metrics ourselves
                CircuitBreakerRegistry own = CircuitBreakerRegistry.ofDefaults();
                TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(own).bindTo(meterRegistry(meterRegistry));
                return own;
            });
            CachebusProperties.Breaker settings = l2.getBreaker();
            CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                    .slidingWindow(settings.getSlidingWindowSize(), settings.getMinimumNumberOfCalls(),
                            CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                    .failureRateThreshold(settings.getFailureRateThreshold())
                    // a Redis that answers slower than the timeout allows is as useless to a cache as a dead one
                    .slowCallDurationThreshold(l2.getRedisTimeout())
                    .slowCallRateThreshold(settings.getFailureRateThreshold())
                    .waitDurationInOpenState(settings.getWaitDurationInOpenState())
                    .permittedNumberOfCallsInHalfOpenState(settings.getPermittedNumberOfCallsInHalfOpenState())
                    .automaticTransitionFromOpenToHalfOpenEnabled(true)
                    .build();
            // an instance the application configured under resilience4j.circuitbreaker.instances wins
            return registry.find(REDIS_BREAKER).orElseGet(() -> registry.circuitBreaker(REDIS_BREAKER, config));
        }
    }

    /** The transactional outbox and its relay, when the application has a database. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({JdbcTemplate.class, KafkaTemplate.class})
    @ConditionalOnSingleCandidate(DataSource.class)
    static class OutboxConfiguration {

        @Bean
        public OutboxRelay cachebusOutboxRelay(CachebusProperties properties, DataSource dataSource,
                ObjectProvider<KafkaProperties> kafkaProperties, NodeIdentity node,
                ObjectProvider<MeterRegistry> meterRegistry) {
            CachebusProperties.Outbox outbox = properties.getOutbox();
            JdbcTemplate jdbc = new JdbcTemplate(dataSource);
            // a statement stuck on a lock or a dead connection would stop the relay's one thread for good
            jdbc.setQueryTimeout((int) Math.max(1, outbox.getSendTimeout().toSeconds()));
            if (outbox.isInitializeSchema()) {
                OutboxSchema.create(jdbc);
            }
            DefaultKafkaProducerFactory<String, byte[]> producers = new DefaultKafkaProducerFactory<>(
                    relayProducerProperties(kafkaProperties.getIfAvailable(KafkaProperties::new), outbox),
                    new StringSerializer(), new ByteArraySerializer());
            producers.setPhysicalCloseTimeout((int) Math.max(1, outbox.getSendTimeout().toSeconds() / 2));
            OutboxRelay.Settings settings = new OutboxRelay.Settings(properties.getMutationTopic(),
                    outbox.getBatchSize(), outbox.getSweepInterval(), outbox.getOrphanAfter(), outbox.getRetention(),
                    outbox.getSendTimeout());
            KafkaTemplate<String, byte[]> kafka = new KafkaTemplate<>(producers);
            kafka.setProducerListener(new ProducerListener<>() {
                // the relay logs failures itself, once per outage rather than once per row
            });
            return new OutboxRelay(jdbc, kafka, node.id(), settings,
                    meterRegistry(meterRegistry), Clock.systemUTC(), producers::destroy);
        }

        @Bean
        @ConditionalOnMissingBean(MutationPublisher.class)
        public TransactionalMutationPublisher cachebusMutationPublisher(DataSource dataSource, EventCodec codec,
                NodeIdentity node, LocalInvalidation localInvalidation, ReadYourWrites readYourWrites,
                OutboxRelay relay) {
            return new TransactionalMutationPublisher(new JdbcTemplate(dataSource), codec, node.id(),
                    localInvalidation, readYourWrites, relay::wake, Clock.systemUTC());
        }

        /** Safe for an outbox: nothing lost (acks=all, idempotent) and an outage noticed within the send timeout. */
        private static Map<String, Object> relayProducerProperties(KafkaProperties kafka,
                CachebusProperties.Outbox outbox) {
            long sendTimeoutMs = outbox.getSendTimeout().toMillis();
            Map<String, Object> props = new HashMap<>(kafka.buildProducerProperties());
            props.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
            props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
            props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) sendTimeoutMs);
            props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) (sendTimeoutMs / 2));
            props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, sendTimeoutMs / 2);
            return props;
        }
    }

    /** This node's own subscription to every eviction broadcast. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(KafkaMessageListenerContainer.class)
    @ConditionalOnProperty(prefix = "cachebus.eviction", name = "enabled", havingValue = "true", matchIfMissing = true)
    static class EvictionConfiguration {

        @Bean
        public EvictionListener cachebusEvictionListener(EventCodec codec, EvictionBroadcastHandler handler,
                InvalidationWatermarks watermarks) {
            return new EvictionListener(codec, handler, watermarks);
        }

        @Bean
        @ConditionalOnProperty(prefix = "cachebus.consistency", name = "enforce", havingValue = "true",
                matchIfMissing = true)
        public EnforcedStalenessBound cachebusStalenessBound(CachebusProperties properties) {
            return new EnforcedStalenessBound(properties.getConsistency().getMaxStaleness(), Clock.systemUTC());
        }

        /**
         * Works out how far this node is behind, with a consumer of its own on the mutation topic (end offsets only)
         * and, when the node has the outbox, the outbox's unsent rows.
         */
        @Bean
        @ConditionalOnBean(EnforcedStalenessBound.class)
        public FreshnessProbe cachebusFreshnessProbe(CachebusProperties properties,
                ObjectProvider<KafkaProperties> kafkaProperties, ObjectProvider<OutboxRelay> relay,
                ObjectProvider<DataSource> dataSource, InvalidationWatermarks watermarks, EnforcedStalenessBound bound,
                ObjectProvider<MeterRegistry> meterRegistry) {
            CachebusProperties.Consistency consistency = properties.getConsistency();
            Map<String, Object> props = new HashMap<>(kafkaProperties.getIfAvailable(KafkaProperties::new)
                    .buildConsumerProperties());
            props.remove(ConsumerConfig.GROUP_ID_CONFIG);
            props.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            props.put(ConsumerConfig.CLIENT_ID_CONFIG, "cachebus-freshness-probe");
            KafkaEndOffsets endOffsets = new KafkaEndOffsets(new DefaultKafkaConsumerFactory<>(props,
                    new ByteArrayDeserializer(), new ByteArrayDeserializer()).createConsumer(),
                    properties.getMutationTopic(), consistency.getProbeTimeout());
            // the outbox only when this node relays one: then writes not yet in Kafka are waited for too
            OutboxBacklog outbox = relay.getIfAvailable() == null ? null
                    : new OutboxBacklog(new JdbcTemplate(dataSource.getObject()), consistency.getOutboxScopesPerProbe());
            return new FreshnessProbe(endOffsets, outbox, watermarks, bound, Clock.systemUTC(),
                    consistency.getProbeInterval(), meterRegistry(meterRegistry), endOffsets::close);
        }

        /**
         * A group of its own (unique per start), so every node gets every broadcast, from the latest offset: what
         * happened before the start is covered by the node starting empty. Offsets are never committed.
         */
        @Bean
        public KafkaMessageListenerContainer<String, byte[]> cachebusEvictionListenerContainer(
                CachebusProperties properties, ObjectProvider<KafkaProperties> kafkaProperties, NodeIdentity node,
                EvictionListener listener) {
            String groupId = EVICTION_GROUP_PREFIX + node.id() + "-" + UUID.randomUUID().toString().substring(0, 8);
            Map<String, Object> props = new HashMap<>(kafkaProperties.getIfAvailable(KafkaProperties::new)
                    .buildConsumerProperties());
            props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
            props.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
            props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
            ContainerProperties container = new ContainerProperties(properties.getEviction().getTopic());
            container.setGroupId(groupId);
            container.setMessageListener(listener);
            container.setConsumerRebalanceListener(listener);
            // the group is this start's alone: committed offsets would never be read again
            container.setAckMode(ContainerProperties.AckMode.MANUAL);
            KafkaMessageListenerContainer<String, byte[]> result = new KafkaMessageListenerContainer<>(
                    new DefaultKafkaConsumerFactory<>(props), container);
            result.setBeanName("cachebusEvictionListenerContainer");
            return result;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    static class HealthConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "cachebusHealthIndicator")
        public CachebusHealthIndicator cachebusHealthIndicator(NodeIdentity node, ObjectProvider<RedisEntryStore> redis,
                ObjectProvider<OutboxRelay> relay, ObjectProvider<EvictionListener> evictions,
                ObjectProvider<EnforcedStalenessBound> bound) {
            return new CachebusHealthIndicator(node.id(), redis.getIfAvailable(), relay.getIfAvailable(),
                    evictions.getIfAvailable(), bound.getIfAvailable());
        }
    }
}
