package io.cachebus.client.autoconfigure;

import static io.cachebus.client.autoconfigure.AutoConfigurationSupport.meterRegistry;
import static io.cachebus.client.autoconfigure.CachebusAutoConfiguration.REDIS_BREAKER;

import io.cachebus.client.internal.tiered.KnownRedisGenerations;
import io.cachebus.client.internal.tiered.RedisEntryStore;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.function.Function;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientConfigurationBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/** Redis as the tiered cache's L2, when the application has Redis and did not turn it off. */
@AutoConfiguration(after = CachebusAutoConfiguration.class, afterName = {
        "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
        "io.github.resilience4j.springboot.circuitbreaker.autoconfigure.CircuitBreakerAutoConfiguration"})
@ConditionalOnClass({RedisConnectionFactory.class, StringRedisTemplate.class})
@ConditionalOnSingleCandidate(RedisConnectionFactory.class)
@ConditionalOnProperty(prefix = "cachebus.l2", name = "enabled", havingValue = "true", matchIfMissing = true)
public class CachebusRedisAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public RedisEntryStore cachebusRedisEntryStore(CachebusProperties properties,
            RedisConnectionFactory connectionFactory, KnownRedisGenerations knownRedisGenerations,
            ObjectProvider<CircuitBreakerRegistry> breakers, ObjectProvider<MeterRegistry> meterRegistry) {
        StringRedisTemplate redis = new StringRedisTemplate(connectionFactory);
        redis.afterPropertiesSet();
        CircuitBreaker breaker = redisBreaker(properties.getL2(), breakers, meterRegistry);
        return new RedisEntryStore(redis, breaker, knownRedisGenerations, properties.getL2().getTtl(),
                properties.getL2().getGenerationTtl());
    }

    /** Opens the Redis connection before the node takes requests, so its first reads do not wait for it. */
    @Bean
    RedisConnectionAtStart cachebusRedisConnectionAtStart(RedisEntryStore store) {
        return new RedisConnectionAtStart(store);
    }

    /**
     * Timeouts and cluster topology refresh for Lettuce, Spring Boot's default Redis client; an application on
     * another client keeps that client's own settings. Each customizer backs off by its bean name, not by its type:
     * Spring Boot applies every customizer bean, so an application's customizer of the same type (for TLS, say) must
     * not switch cachebus's timeouts off, while an application bean of the same name replaces cachebus's (without
     * the condition it would stop the start, bean definitions may not be overridden).
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.lettuce.core.RedisClient")
    static class LettuceConfiguration {

        /** The cluster topology refresh period cachebus sets when the application did not choose one. */
        static final long CLUSTER_REFRESH_SECONDS = 10;

        /**
         * Lettuce waits 60 s for an answer by default; a cache must give up after
         * {@code cachebus.l2.redis-timeout}. Left alone when the application set {@code spring.data.redis.timeout}.
         */
        @Bean
        @ConditionalOnMissingBean(name = "cachebusRedisCommandTimeout")
        public LettuceClientConfigurationBuilderCustomizer cachebusRedisCommandTimeout(
                CachebusProperties properties, ObjectProvider<DataRedisProperties> redisProperties) {
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
         * Lettuce waits 10 s for a TCP connect by default, and a node that cannot reach Redis would hold requests
         * that long; {@code cachebus.l2.redis-connect-timeout} applies unless the application set
         * {@code spring.data.redis.connect-timeout} itself (Spring Boot then sets the socket options).
         */
        @Bean
        @ConditionalOnMissingBean(name = "cachebusRedisConnectTimeout")
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
         * primary's slots keep going to a dead node. Spring Boot sets only a refresh period, and none by default;
         * this turns on a periodic refresh every {@value #CLUSTER_REFRESH_SECONDS} s plus every adaptive trigger
         * (MOVED, ASK, unknown node, uncovered slot, repeated reconnects), unless the application set
         * {@code spring.data.redis.lettuce.cluster.refresh.period} itself. Nothing changes for a standalone Redis.
         */
        @Bean
        @ConditionalOnMissingBean(name = "cachebusRedisClusterTopologyRefresh")
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
