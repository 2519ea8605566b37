package io.cachebus.client.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.client.TieredCache;
import io.cachebus.client.testsupport.AllCachebusAutoConfigurations;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The {@code cachebus} health indicator: there with actuator, absent without it or switched off, replaceable. */
class CachebusHealthAutoConfigurationTest {

    private final ApplicationContextRunner runner = AllCachebusAutoConfigurations.runnerWithoutSubscription();

    @Test
    void actuatorOnTheClasspathBringsTheIndicator() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(CachebusHealthIndicator.class);
            assertThat(context.getBean(CachebusHealthIndicator.class).health().getDetails())
                    .containsEntry("l2", "fallback").containsEntry("stalenessBound", "not enforced");
        });
    }

    @Test
    void itCanBeSwitchedOffLikeAnyHealthIndicator() {
        runner.withPropertyValues("management.health.cachebus.enabled=false").run(context ->
                assertThat(context).doesNotHaveBean(CachebusHealthIndicator.class));
    }

    @Test
    void withoutActuatorThereIsNoIndicatorAndTheCacheStillStarts() {
        runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class)).run(context ->
                assertThat(context).hasNotFailed().hasSingleBean(TieredCache.class)
                        .doesNotHaveBean(CachebusHealthIndicator.class));
    }

    @Test
    void anApplicationsOwnIndicatorOfThatNameReplacesCachebusOne() {
        HealthIndicator own = () -> Health.up().withDetail("own", true).build();
        runner.withBean("cachebusHealthIndicator", HealthIndicator.class, () -> own).run(context -> {
            assertThat(context).doesNotHaveBean(CachebusHealthIndicator.class);
            assertThat(context.getBean("cachebusHealthIndicator")).isSameAs(own);
        });
    }
}
