package io.cachebus.client.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cachebus.client.CacheKey;
import io.cachebus.client.MutationPublisher;
import io.cachebus.client.TieredCache;
import io.cachebus.client.internal.consistency.ConsistencySampler;
import io.cachebus.client.internal.eviction.EvictionListener;
import io.cachebus.client.internal.tiered.DefaultTieredCache;
import io.cachebus.client.internal.tiered.RedisEntryStore;
import io.cachebus.client.testsupport.AllCachebusAutoConfigurations;
import io.lettuce.core.ClientOptions;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import tools.jackson.core.type.TypeReference;

/** Which parts switch on for which application, without any infrastructure running. */
class CachebusAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AllCachebusAutoConfigurations.get())
            .withPropertyValues("cachebus.eviction.enabled=false");

    @Test
    void aBareApplicationGetsACacheWithTheFallbackAsL2AndNoPublisher() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(TieredCache.class).hasSingleBean(CachebusHealthIndicator.class)
                    .doesNotHaveBean(MutationPublisher.class).doesNotHaveBean(RedisEntryStore.class)
                    .doesNotHaveBean(EvictionListener.class);
            assertThat(context.getBean(DefaultTieredCache.class).redisInUse()).isFalse();
        });
    }

    @Test
    void aDatabaseBringsTheOutboxPublisher() {
        runner.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=jdbc:h2:mem:autoconfig-" + UUID.randomUUID())
                .run(context -> assertThat(context).hasSingleBean(MutationPublisher.class));
    }

    @Test
    void redisBringsTheRedisTierWithTheCachesCommandTimeoutUnlessTheApplicationSetItsOwn() {
        ApplicationContextRunner withRedis = runner
                .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class));
        withRedis.run(context -> {
            assertThat(context).hasSingleBean(RedisEntryStore.class);
            assertThat(context.getBean(LettuceConnectionFactory.class).getClientConfiguration().getCommandTimeout())
                    .isEqualTo(Duration.ofMillis(100));
        });
        withRedis.withPropertyValues("spring.data.redis.timeout=2s").run(context ->
                assertThat(context.getBean(LettuceConnectionFactory.class).getClientConfiguration()
                        .getCommandTimeout()).isEqualTo(Duration.ofSeconds(2)));
        withRedis.withPropertyValues("cachebus.l2.enabled=false").run(context ->
                assertThat(context).doesNotHaveBean(RedisEntryStore.class));
    }

    @Test
    void aRedisConnectGivesUpAfterTheCachesConnectTimeoutNotLettucesTenSecondsUnlessTheApplicationSetItsOwn() {
        ApplicationContextRunner withRedis = runner
                .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class));
        withRedis.run(context -> assertThat(connectTimeout(context.getBean(LettuceConnectionFactory.class)))
                .isEqualTo(Duration.ofSeconds(2)));
        withRedis.withPropertyValues("cachebus.l2.redis-connect-timeout=500ms").run(context ->
                assertThat(connectTimeout(context.getBean(LettuceConnectionFactory.class)))
                        .isEqualTo(Duration.ofMillis(500)));
        withRedis.withPropertyValues("spring.data.redis.connect-timeout=7s").run(context ->
                assertThat(connectTimeout(context.getBean(LettuceConnectionFactory.class)))
                        .isEqualTo(Duration.ofSeconds(7)));
    }

    private static Duration connectTimeout(LettuceConnectionFactory factory) {
        return factory.getClientConfiguration().getClientOptions().orElseThrow().getSocketOptions()
                .getConnectTimeout();
    }

    @Test
    void onRedisClusterLettuceRefreshesItsTopologyPeriodicallyAndAdaptivelyUnlessTheApplicationChoseAPeriod() {
        // no node needs to answer: the connection factory is only configured, never connected
        ApplicationContextRunner withCluster = runner
                .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
                .withPropertyValues("spring.data.redis.cluster.nodes=127.0.0.1:1,127.0.0.1:2");
        withCluster.run(context -> {
            ClusterTopologyRefreshOptions refresh = topologyRefresh(context.getBean(LettuceConnectionFactory.class));
            assertThat(refresh.isPeriodicRefreshEnabled()).isTrue();
            assertThat(refresh.getRefreshPeriod()).isEqualTo(Duration.ofSeconds(10));
            assertThat(refresh.getAdaptiveRefreshTriggers())
                    .containsExactlyInAnyOrder(ClusterTopologyRefreshOptions.RefreshTrigger.values());
            assertThat(refresh.useDynamicRefreshSources()).isTrue();
        });
        withCluster.withPropertyValues("spring.data.redis.lettuce.cluster.refresh.period=45s").run(context ->
                assertThat(topologyRefresh(context.getBean(LettuceConnectionFactory.class)).getRefreshPeriod())
                        .isEqualTo(Duration.ofSeconds(45)));
        runner.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class)).run(context ->
                assertThat(context.getBean(LettuceConnectionFactory.class).getClientConfiguration().getClientOptions())
                        .get().isNotInstanceOf(ClusterClientOptions.class));
    }

    private static ClusterTopologyRefreshOptions topologyRefresh(LettuceConnectionFactory factory) {
        ClientOptions options = factory.getClientConfiguration().getClientOptions().orElseThrow();
        assertThat(options).isInstanceOf(ClusterClientOptions.class);
        return ((ClusterClientOptions) options).getTopologyRefreshOptions();
    }

    @Test
    void anApplicationsOwnTieredCacheWins() {
        runner.withBean(TieredCache.class, NoCache::new).run(context ->
                assertThat(context.getBean(TieredCache.class)).isInstanceOf(NoCache.class));
    }

    @Test
    void theNodeIdDefaultsToTheHostNameWithASuffixUniquePerStart() {
        runner.run(first -> runner.run(second -> {
            String one = first.getBean(NodeIdentity.class).id();
            String other = second.getBean(NodeIdentity.class).id();
            assertThat(one).isNotBlank().isNotEqualTo(other);
        }));
        runner.withPropertyValues("cachebus.node-id=api-7").run(context ->
                assertThat(context.getBean(NodeIdentity.class).id()).isEqualTo("api-7"));
    }

    @Test
    void theCacheChecksTheShareOfHitsTheSamplingRateSays() {
        CacheKey key = CacheKey.of("t1", "workflows").resource("/api/workflows/w1").build();
        runner.withBean(SimpleMeterRegistry.class)
                .withPropertyValues("cachebus.consistency.sampling.rate=1").run(context -> {
                    TieredCache cache = context.getBean(TieredCache.class);
                    cache.get(key, String.class, () -> "v1");
                    cache.get(key, String.class, () -> "v1");
                    MeterRegistry meters = context.getBean(MeterRegistry.class);
                    await().atMost(Duration.ofSeconds(10)).until(() ->
                            meters.find(ConsistencySampler.CHECKED).tag("tier", "l1").counter() != null);
                    assertThat(meters.get(ConsistencySampler.CHECKED).counter().count()).isEqualTo(1);
                });
    }

    private static final class NoCache implements TieredCache {
        @Override
        public <T> T get(CacheKey key, Class<T> type, Supplier<T> loader) {
            return loader.get();
        }

        @Override
        public <T> T get(CacheKey key, TypeReference<T> type, Supplier<T> loader) {
            return loader.get();
        }

        @Override
        public void evictLocal(String tenant, String domain) {
        }

        @Override
        public void evictAllLocal() {
        }
    }
}
