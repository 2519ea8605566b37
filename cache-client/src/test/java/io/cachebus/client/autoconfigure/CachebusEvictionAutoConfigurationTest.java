package io.cachebus.client.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.client.TieredCache;
import io.cachebus.client.internal.consistency.EnforcedStalenessBound;
import io.cachebus.client.internal.consistency.FreshnessProbe;
import io.cachebus.client.internal.eviction.EvictionListener;
import io.cachebus.client.testsupport.AllCachebusAutoConfigurations;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;

/**
 * The eviction subscription and the staleness bound that needs it. The broker address is a closed loopback port:
 * the consumers start, find nothing and stop with the context.
 */
class CachebusEvictionAutoConfigurationTest {

    private final ApplicationContextRunner runner = AllCachebusAutoConfigurations.runner()
            .withPropertyValues("spring.kafka.bootstrap-servers=127.0.0.1:9");

    @Test
    void kafkaOnTheClasspathBringsTheSubscriptionAndTheEnforcedBound() {
        runner.run(context -> assertThat(context).hasSingleBean(EvictionListener.class)
                .hasBean("cachebusEvictionListenerContainer").hasSingleBean(EnforcedStalenessBound.class)
                .hasSingleBean(FreshnessProbe.class));
    }

    @Test
    void theBoundCanBeSwitchedOffAndTheSubscriptionStays() {
        runner.withPropertyValues("cachebus.consistency.enforce=false").run(context ->
                assertThat(context).hasSingleBean(EvictionListener.class)
                        .doesNotHaveBean(EnforcedStalenessBound.class).doesNotHaveBean(FreshnessProbe.class));
    }

    @Test
    void withoutTheSubscriptionThereIsNoBoundToEnforce() {
        runner.withPropertyValues("cachebus.eviction.enabled=false").run(context ->
                assertThat(context).doesNotHaveBean(EvictionListener.class)
                        .doesNotHaveBean(EnforcedStalenessBound.class));
    }

    @Test
    void withoutSpringKafkaTheCacheStartsWithoutSubscriptionOrBound() {
        runner.withClassLoader(new FilteredClassLoader(KafkaMessageListenerContainer.class)).run(context ->
                assertThat(context).hasNotFailed().hasSingleBean(TieredCache.class)
                        .doesNotHaveBean(EvictionListener.class).doesNotHaveBean(EnforcedStalenessBound.class));
    }

    @Test
    void anApplicationsOwnBoundReplacesCachebusOne() {
        EnforcedStalenessBound own = new EnforcedStalenessBound(Duration.ofSeconds(5), Clock.systemUTC());
        runner.withBean(EnforcedStalenessBound.class, () -> own).run(context -> {
            assertThat(context).hasSingleBean(EnforcedStalenessBound.class).hasSingleBean(FreshnessProbe.class);
            assertThat(context.getBean(EnforcedStalenessBound.class)).isSameAs(own);
        });
    }

    @Test
    void theProbeRunsATenthOfTheBoundApartUnlessSetAndNeverLessThan10msOnItsOwn() {
        assertProbeInterval(runner, Duration.ofMillis(100));
        assertProbeInterval(runner.withPropertyValues("cachebus.consistency.max-staleness=100ms"),
                Duration.ofMillis(10));
        assertProbeInterval(runner.withPropertyValues("cachebus.consistency.max-staleness=30s"),
                Duration.ofSeconds(3));
        assertProbeInterval(runner.withPropertyValues("cachebus.consistency.max-staleness=40ms"),
                Duration.ofMillis(10));
        assertProbeInterval(runner.withPropertyValues("cachebus.consistency.max-staleness=100ms",
                "cachebus.consistency.probe-interval=5ms"), Duration.ofMillis(5));
    }

    private static void assertProbeInterval(ApplicationContextRunner runner, Duration expected) {
        runner.run(context -> assertThat(context.getBean(FreshnessProbe.class).interval()).isEqualTo(expected));
    }

    @Test
    void aZeroProbeIntervalStopsTheStartNamingTheProperty() {
        runner.withPropertyValues("cachebus.consistency.probe-interval=0").run(context ->
                assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("object 'cachebus' on field 'consistency.probeInterval'"));
    }

    @Test
    void aZeroStalenessBoundStopsTheStartNamingTheProperty() {
        runner.withPropertyValues("cachebus.consistency.max-staleness=0").run(context ->
                assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("object 'cachebus' on field 'consistency.maxStaleness'"));
    }
}
