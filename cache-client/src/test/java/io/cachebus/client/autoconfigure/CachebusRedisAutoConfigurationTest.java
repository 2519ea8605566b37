package io.cachebus.client.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import io.cachebus.client.internal.tiered.DefaultTieredCache;
import io.cachebus.client.internal.tiered.RedisEntryStore;
import io.cachebus.client.testsupport.AllCachebusAutoConfigurations;
import io.cachebus.local.FreePorts;
import io.cachebus.local.redis.RedisServer;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientConfigurationBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/** Redis as L2: when it applies, what it sets on Lettuce, and what happens without spring-data-redis or Lettuce. */
class CachebusRedisAutoConfigurationTest {

    private final ApplicationContextRunner runner = AllCachebusAutoConfigurations.runnerWithoutSubscription();

    private final ApplicationContextRunner withRedis = runner
            .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class));

    @Test
    void redisBringsTheRedisTierWithTheCachesCommandTimeoutUnlessTheApplicationSetItsOwn() {
        withRedis.run(context -> {
            assertThat(context).hasSingleBean(RedisEntryStore.class);
            assertThat(context.getBean(DefaultTieredCache.class).redisInUse()).isTrue();
            assertThat(context.getBean(LettuceConnectionFactory.class).getClientConfiguration().getCommandTimeout())
                    .isEqualTo(Duration.ofMillis(100));
        });
        withRedis.withPropertyValues("spring.data.redis.timeout=2s").run(context ->
                assertThat(context.getBean(LettuceConnectionFactory.class).getClientConfiguration()
                        .getCommandTimeout()).isEqualTo(Duration.ofSeconds(2)));
        withRedis.withPropertyValues("cachebus.l2.enabled=false").run(context ->
                assertThat(context).doesNotHaveBean(RedisEntryStore.class));
    }

    /**
     * A node's first reads must not open the Redis connection: on a busy node each read waiting for it counts as a
     * slow call and the breaker opens (seen in the benchmark: every node on its fallback for the first reads of a run,
     * nothing loaded then reaching Redis). A Redis that is not there does not stop the start.
     */
    @Test
    void theStartOpensTheRedisConnectionBeforeAnyReadAndStartsWithoutRedisToo() {
        try (RedisServer redis = RedisServer.start(FreePorts.next())) {
            withRedis.withPropertyValues("spring.data.redis.port=" + redis.port()).run(context -> {
                assertThat(context).hasNotFailed();
                assertThat(redis.text("CLIENT", "LIST")).as("the clients redis-server has").contains("cmd=ping");
            });
        }
        withRedis.withPropertyValues("spring.data.redis.port=" + FreePorts.next()).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(RedisEntryStore.class);
            assertThat(context.getBean(RedisEntryStore.class).connect()).isPresent();
        });
    }

    @Test
    void withoutSpringDataRedisTheFallbackIsL2() {
        runner.withClassLoader(new FilteredClassLoader(RedisConnectionFactory.class)).run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(RedisEntryStore.class);
            assertThat(context.getBean(DefaultTieredCache.class).redisInUse()).isFalse();
        });
    }

    @Test
    void onAnotherRedisClientThanLettuceTheRedisTierStaysAndLettucesSettingsAreNotMade() {
        runner.withClassLoader(new FilteredClassLoader("io.lettuce"))
                .withBean(RedisConnectionFactory.class, () -> mock(RedisConnectionFactory.class))
                .run(context -> assertThat(context).hasSingleBean(RedisEntryStore.class)
                        .doesNotHaveBean(LettuceClientConfigurationBuilderCustomizer.class)
                        .doesNotHaveBean(LettuceClientOptionsBuilderCustomizer.class));
    }

    @Test
    void aRedisConnectGivesUpAfterTheCachesConnectTimeoutNotLettucesTenSecondsUnlessTheApplicationSetItsOwn() {
        withRedis.run(context -> assertThat(connectTimeout(context.getBean(LettuceConnectionFactory.class)))
                .isEqualTo(Duration.ofSeconds(2)));
        withRedis.withPropertyValues("cachebus.l2.redis-connect-timeout=500ms").run(context ->
                assertThat(connectTimeout(context.getBean(LettuceConnectionFactory.class)))
                        .isEqualTo(Duration.ofMillis(500)));
        withRedis.withPropertyValues("spring.data.redis.connect-timeout=7s").run(context ->
                assertThat(connectTimeout(context.getBean(LettuceConnectionFactory.class)))
                        .isEqualTo(Duration.ofSeconds(7)));
    }

    @Test
    void anApplicationsLettuceCustomizerOfAnotherNameAddsToCachebusOwnAndOneOfTheSameNameReplacesIt() {
        LettuceClientOptionsBuilderCustomizer noAutoReconnect = builder -> builder.autoReconnect(false);
        withRedis.withBean("applicationsRedisOptions", LettuceClientOptionsBuilderCustomizer.class,
                () -> noAutoReconnect).run(context -> {
                    LettuceConnectionFactory factory = context.getBean(LettuceConnectionFactory.class);
                    assertThat(factory.getClientConfiguration().getClientOptions().orElseThrow().isAutoReconnect())
                            .isFalse();
                    assertThat(connectTimeout(factory)).isEqualTo(Duration.ofSeconds(2));
                });
        withRedis.withBean("cachebusRedisConnectTimeout", LettuceClientOptionsBuilderCustomizer.class,
                () -> noAutoReconnect).run(context -> {
                    assertThat(context).hasNotFailed();
                    LettuceConnectionFactory factory = context.getBean(LettuceConnectionFactory.class);
                    assertThat(factory.getClientConfiguration().getClientOptions().orElseThrow().isAutoReconnect())
                            .isFalse();
                    // Lettuce's own default: cachebus's connect timeout is gone, its command timeout stays
                    assertThat(connectTimeout(factory)).isEqualTo(SocketOptions.DEFAULT_CONNECT_TIMEOUT_DURATION);
                    assertThat(factory.getClientConfiguration().getCommandTimeout()).isEqualTo(Duration.ofMillis(100));
                });
        withRedis.withBean("cachebusRedisCommandTimeout", LettuceClientConfigurationBuilderCustomizer.class,
                () -> builder -> { }).run(context -> assertThat(context.getBean(LettuceConnectionFactory.class)
                        .getClientConfiguration().getCommandTimeout()).isEqualTo(RedisURI.DEFAULT_TIMEOUT_DURATION));
    }

    private static Duration connectTimeout(LettuceConnectionFactory factory) {
        return factory.getClientConfiguration().getClientOptions().orElseThrow().getSocketOptions()
                .getConnectTimeout();
    }

    @Test
    void onRedisClusterLettuceRefreshesItsTopologyPeriodicallyAndAdaptivelyUnlessTheApplicationChoseAPeriod() {
        // no node needs to answer: the connection factory is only configured, never connected
        ApplicationContextRunner withCluster = withRedis
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
        withRedis.run(context ->
                assertThat(context.getBean(LettuceConnectionFactory.class).getClientConfiguration().getClientOptions())
                        .get().isNotInstanceOf(ClusterClientOptions.class));
    }

    private static ClusterTopologyRefreshOptions topologyRefresh(LettuceConnectionFactory factory) {
        ClientOptions options = factory.getClientConfiguration().getClientOptions().orElseThrow();
        assertThat(options).isInstanceOf(ClusterClientOptions.class);
        return ((ClusterClientOptions) options).getTopologyRefreshOptions();
    }
}
