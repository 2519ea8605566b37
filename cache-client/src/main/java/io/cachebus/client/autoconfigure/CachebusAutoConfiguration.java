package io.cachebus.client.autoconfigure;

import static io.cachebus.client.autoconfigure.AutoConfigurationSupport.meterRegistry;
import static io.cachebus.client.autoconfigure.AutoConfigurationSupport.valueCodec;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.cachebus.client.TieredCache;
import io.cachebus.client.event.CacheEventListener;
import io.cachebus.client.internal.consistency.ConsistencySampler;
import io.cachebus.client.internal.consistency.EnforcedStalenessBound;
import io.cachebus.client.internal.consistency.InvalidationWatermarks;
import io.cachebus.client.internal.consistency.StalenessGate;
import io.cachebus.client.internal.eviction.EvictionBroadcastHandler;
import io.cachebus.client.internal.tiered.CacheInstrumentation;
import io.cachebus.client.internal.tiered.DefaultTieredCache;
import io.cachebus.client.internal.tiered.FallbackStore;
import io.cachebus.client.internal.tiered.KnownRedisGenerations;
import io.cachebus.client.internal.tiered.LocalGenerations;
import io.cachebus.client.internal.tiered.LocalInvalidation;
import io.cachebus.client.internal.tiered.ReadGuards;
import io.cachebus.client.internal.tiered.ReadYourWrites;
import io.cachebus.client.internal.tiered.RedisEntryStore;
import io.cachebus.client.internal.tiered.RedisPendingScopes;
import io.cachebus.events.EventCodec;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedBulkheadMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import tools.jackson.databind.json.JsonMapper;

/**
 * The core every API node gets by adding the dependency: the {@link TieredCache} (L1 Caffeine in front of L2, which
 * is Redis when {@link CachebusRedisAutoConfiguration} applies, else the in-memory fallback), the node's identity,
 * and what applies an eviction broadcast to this node however it arrives. The other features each have an
 * auto-configuration of their own: {@link CachebusRedisAutoConfiguration}, {@link CachebusOutboxAutoConfiguration},
 * {@link CachebusEvictionAutoConfiguration}, {@link CachebusConsistencyAutoConfiguration} and
 * {@link CachebusHealthAutoConfiguration}.
 */
@AutoConfiguration(afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
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
    /**
     * The {@code cache} tag of L1's Caffeine meters ({@code cache.gets}, {@code cache.evictions}, {@code cache.size}):
     * for sizing L1; hit ratios come from {@code cachebus.cache.lookups}, which counts L1 hits too, per domain.
     */
    public static final String L1_CACHE_NAME = "cachebus-l1";

    /** Says at startup which features are off for want of a library; fails it if one was switched on explicitly. */
    @Bean
    OptionalFeatures cachebusOptionalFeatures(Environment environment, ResourceLoader resourceLoader) {
        return OptionalFeatures.check(environment, resourceLoader.getClassLoader());
    }

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
    @ConditionalOnMissingBean
    public LocalInvalidation cachebusLocalInvalidation(CachebusProperties properties) {
        CachebusProperties.Fallback fallback = properties.getFallback();
        return new LocalInvalidation(new LocalGenerations(properties.getMaxTrackedScopes(),
                properties.getMaxTrackedEntities()),
                new FallbackStore(fallback.getMaxSize(), fallback.getTtl()));
    }

    @Bean
    @ConditionalOnMissingBean
    public KnownRedisGenerations cachebusKnownRedisGenerations(CachebusProperties properties) {
        // refreshed as often as L1 expires: a lost broadcast then costs no more staleness in L2 than in L1
        return new KnownRedisGenerations(properties.getMaxTrackedScopes(), properties.getMaxTrackedEntities(),
                properties.getL1().getTtl());
    }

    @Bean
    @ConditionalOnMissingBean
    public ReadYourWrites cachebusReadYourWrites(CachebusProperties properties) {
        return new ReadYourWrites(properties.getReadYourWrites().getMaxWait());
    }

    /** The invalidators' progress as read on this node's eviction subscription. */
    @Bean
    @ConditionalOnMissingBean
    public InvalidationWatermarks cachebusInvalidationWatermarks(CachebusProperties properties) {
        return new InvalidationWatermarks(Clock.systemUTC(), properties.getConsistency().getMaxStaleness());
    }

    @Bean
    @ConditionalOnMissingBean
    public RedisPendingScopes cachebusRedisPendingScopes(CachebusProperties properties,
            InvalidationWatermarks watermarks) {
        CachebusProperties.Consistency consistency = properties.getConsistency();
        return new RedisPendingScopes(consistency.getRedisPendingMaxScopes(), consistency.getMaxStaleness(),
                Clock.systemUTC(), watermarks::redisWorkPending);
    }

    /** Applies eviction broadcasts to this node, however they arrive (the Kafka subscription, by default). */
    @Bean
    @ConditionalOnMissingBean
    public EvictionBroadcastHandler cachebusEvictionBroadcastHandler(CachebusProperties properties,
            LocalInvalidation localInvalidation, KnownRedisGenerations knownRedisGenerations,
            ReadYourWrites readYourWrites, RedisPendingScopes redisPending, NodeIdentity node,
            ObjectProvider<MeterRegistry> meterRegistry) {
        return new EvictionBroadcastHandler(localInvalidation, knownRedisGenerations, readYourWrites, redisPending,
                properties.getMaxTrackedScopes(), node.id(), Clock.systemUTC(), meterRegistry(meterRegistry));
    }

    /** Checks a sample of the cache's hits against the database, off the request path. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public ConsistencySampler cachebusConsistencySampler(CachebusProperties properties,
            ObjectProvider<JsonMapper> jsonMapper, ObjectProvider<MeterRegistry> meterRegistry,
            ObjectProvider<EnforcedStalenessBound> bound) {
        CachebusProperties.Sampling sampling = properties.getConsistency().getSampling();
        return new ConsistencySampler(new ConsistencySampler.Settings(sampling.getRate(), sampling.getConfirmAfter(),
                sampling.getMaxTracking(), sampling.getMaxPending()), valueCodec(jsonMapper),
                meterRegistry(meterRegistry), () -> {
                    // looked up when a stale hit is logged: the bound is a bean of a later auto-configuration
                    EnforcedStalenessBound enforced = bound.getIfAvailable();
                    return enforced == null ? Double.NaN : enforced.lagSeconds();
                });
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
        MeterRegistry meters = meterRegistry(meterRegistry);
        Cache<String, Object> l1Cache = l1.getMaxSize() == 0 ? null
                : Caffeine.newBuilder().maximumSize(l1.getMaxSize()).expireAfterWrite(l1.getTtl()).recordStats()
                        .build();
        if (l1Cache != null) {
            // read from Caffeine's own statistics at each scrape: nothing added to a read
            CaffeineCacheMetrics.monitor(meters, l1Cache, L1_CACHE_NAME);
        }
        CacheInstrumentation instrumentation = new CacheInstrumentation(meters, listeners.orderedStream().toList());
        CachebusProperties.Consistency consistency = properties.getConsistency();
        BulkheadRegistry bulkheads = BulkheadRegistry.of(BulkheadConfig.custom()
                .maxConcurrentCalls(consistency.getReadThroughMaxConcurrent())
                .maxWaitDuration(consistency.getReadThroughMaxWait())
                .build());
        Bulkhead readThrough = bulkheads.bulkhead(READ_THROUGH_BULKHEAD);
        TaggedBulkheadMetrics.ofBulkheadRegistry(bulkheads).bindTo(meters);
        return new DefaultTieredCache(l1Cache, localInvalidation, redis.getIfAvailable(), knownRedisGenerations,
                readYourWrites, valueCodec(jsonMapper), instrumentation,
                new ReadGuards(gate.getIfAvailable(() -> StalenessGate.UNENFORCED), redisPending, readThrough,
                        consistencySampler, properties.getSharedLoadMaxWait()));
    }
}
