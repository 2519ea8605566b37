package io.cachebus.client.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cachebus.client.CacheKey;
import io.cachebus.client.MutationPublisher;
import io.cachebus.client.TieredCache;
import io.cachebus.client.internal.consistency.ConsistencySampler;
import io.cachebus.client.internal.eviction.EvictionListener;
import io.cachebus.client.internal.tiered.DefaultTieredCache;
import io.cachebus.client.internal.tiered.ReadYourWrites;
import io.cachebus.client.internal.tiered.RedisEntryStore;
import io.cachebus.client.sql.SqlCache;
import io.cachebus.client.testsupport.AllCachebusAutoConfigurations;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Supplier;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;
import tools.jackson.core.type.TypeReference;

/**
 * The core (the tiered cache), what happens when an optional library is missing, and the validation of
 * {@code cachebus.*}, without any infrastructure running.
 */
@ExtendWith(OutputCaptureExtension.class)
class CachebusAutoConfigurationTest {

    private final ApplicationContextRunner runner = AllCachebusAutoConfigurations.runnerWithoutSubscription();

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
    void anApplicationsOwnTieredCacheWins() {
        runner.withBean(TieredCache.class, NoCache::new).run(context ->
                assertThat(context.getBean(TieredCache.class)).isInstanceOf(NoCache.class));
    }

    @Test
    void everyAutoConfigurationOfCacheClientIsInTheAutoconfigurePackage() {
        // the layout: the API at io.cachebus.client and its feature packages, the code in internal, the wiring here
        assertThat(CachebusAutoConfigurations.names()).isNotEmpty().allSatisfy(name ->
                assertThat(name).startsWith(CachebusAutoConfiguration.class.getPackageName() + "."));
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

    @Test
    void anApplicationsOwnCoreBeansReplaceCachebusOwn() {
        NodeIdentity node = new NodeIdentity("own-node");
        ReadYourWrites readYourWrites = new ReadYourWrites(Duration.ofSeconds(1));
        runner.withBean(NodeIdentity.class, () -> node).withBean(ReadYourWrites.class, () -> readYourWrites)
                .run(context -> {
                    assertThat(context).hasSingleBean(NodeIdentity.class).hasSingleBean(ReadYourWrites.class);
                    assertThat(context.getBean(NodeIdentity.class)).isSameAs(node);
                    assertThat(context.getBean(ReadYourWrites.class)).isSameAs(readYourWrites);
                });
    }

    @Test
    void withoutAnyOptionalLibraryTheCacheRunsAndEachMissingFeatureIsSaidOffOnce(CapturedOutput output) {
        // the application has a database: only the hidden libraries keep the outbox and SqlCache off
        AllCachebusAutoConfigurations.runner()
                .withClassLoader(new FilteredClassLoader(RedisConnectionFactory.class,
                        KafkaMessageListenerContainer.class, JdbcTemplate.class, CCJSqlParserUtil.class,
                        HealthIndicator.class))
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=jdbc:h2:mem:no-libraries-" + UUID.randomUUID())
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(TieredCache.class)
                            .doesNotHaveBean(RedisEntryStore.class).doesNotHaveBean(MutationPublisher.class)
                            .doesNotHaveBean(EvictionListener.class).doesNotHaveBean(SqlCache.class)
                            .doesNotHaveBean(CachebusHealthIndicator.class);
                    assertThat(context.getBean(OptionalFeatures.class).off()).containsExactly("Redis L2",
                            "eviction subscription", "staleness bound", "transactional outbox", "SqlCache",
                            "health indicator");
                });
        assertThat(output).contains("cachebus: Redis L2 off, it needs spring-boot-starter-data-redis")
                .contains("cachebus: eviction subscription off, it needs spring-boot-starter-kafka")
                .contains("cachebus: health indicator off, it needs spring-boot-starter-actuator");
    }

    @Test
    void aFeatureSwitchedOnExplicitlyWithoutItsLibraryStopsTheStartNamingThePropertyAndTheDependency() {
        runner.withClassLoader(new FilteredClassLoader(RedisConnectionFactory.class))
                .withPropertyValues("cachebus.l2.enabled=true")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("cachebus.l2.enabled=true")
                        .hasMessageContaining("spring-boot-starter-data-redis"));
        runner.withClassLoader(new FilteredClassLoader(KafkaMessageListenerContainer.class))
                .withPropertyValues("cachebus.eviction.enabled=true")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("cachebus.eviction.enabled=true")
                        .hasMessageContaining("spring-boot-starter-kafka"));
    }

    @Test
    void withEveryLibraryPresentNothingIsSaidOff(CapturedOutput output) {
        runner.run(context -> assertThat(context.getBean(OptionalFeatures.class).off()).isEmpty());
        assertThat(output).doesNotContain("cachebus: ");
    }

    @Test
    void aFeatureTheApplicationSwitchedOffIsNotReported(CapturedOutput output) {
        runner.withClassLoader(new FilteredClassLoader(KafkaMessageListenerContainer.class))
                .withPropertyValues("cachebus.consistency.enforce=false")
                .run(context -> assertThat(context.getBean(OptionalFeatures.class).off()).isEmpty());
        assertThat(output).doesNotContain("eviction subscription off").doesNotContain("staleness bound off");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "cachebus.outbox.sweep-interval            | 0    | outbox.sweepInterval",
        "cachebus.consistency.max-staleness        | 0    | consistency.maxStaleness",
        "cachebus.l1.max-size                      | -1   | l1.maxSize",
        "cachebus.fallback.max-size                | -5   | fallback.maxSize",
        "cachebus.l2.ttl                           | -1s  | l2.ttl",
        "cachebus.l2.breaker.failure-rate-threshold| 101  | l2.breaker.failureRateThreshold",
        "cachebus.consistency.sampling.rate        | 1.5  | consistency.sampling.rate",
        "cachebus.outbox.batch-size                | 0    | outbox.batchSize",
        "cachebus.eviction.topic                   | ' '  | eviction.topic",
        "cachebus.read-your-writes.max-wait        | -1ms | readYourWrites.maxWait",
        "cachebus.outbox.retention                 | -1s  | outbox.retention"})
    void aValueOutOfRangeStopsTheStartNamingTheProperty(String property, String value, String field) {
        runner.withPropertyValues(property + "=" + value).run(context ->
                assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("object 'cachebus' on field '" + field + "'"));
    }

    @Test
    void zeroIsAllowedWhereItMeansOff() {
        runner.withPropertyValues("cachebus.l1.max-size=0", "cachebus.consistency.sampling.rate=0",
                "cachebus.read-your-writes.max-wait=0", "cachebus.consistency.read-through-max-wait=0",
                "cachebus.outbox.retention=0")
                .run(context -> assertThat(context).hasNotFailed());
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
