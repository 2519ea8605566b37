package io.cachebus.client.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.client.MutationPublisher;
import io.cachebus.client.internal.outbox.OutboxRelay;
import io.cachebus.client.internal.outbox.TransactionalMutationPublisher;
import io.cachebus.client.testsupport.AllCachebusAutoConfigurations;
import io.cachebus.events.DomainMutated;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;

/** The outbox: a database brings it, and it stays off without JDBC or Kafka on the classpath. */
class CachebusOutboxAutoConfigurationTest {

    private final ApplicationContextRunner withDatabase = AllCachebusAutoConfigurations.runner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
            .withPropertyValues("cachebus.eviction.enabled=false", "spring.kafka.bootstrap-servers=127.0.0.1:9",
                    "spring.datasource.url=jdbc:h2:mem:outbox-autoconfig-" + UUID.randomUUID());

    @Test
    void aDatabaseBringsTheOutboxPublisherAndItsRelay() {
        withDatabase.run(context -> assertThat(context).hasSingleBean(TransactionalMutationPublisher.class)
                .hasSingleBean(OutboxRelay.class));
    }

    @Test
    void withoutKafkaOrJdbcOnTheClasspathThereIsNoOutboxAndTheCacheStillStarts() {
        withDatabase.withClassLoader(new FilteredClassLoader(KafkaTemplate.class)).run(context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(MutationPublisher.class)
                        .doesNotHaveBean(OutboxRelay.class));
        withDatabase.withClassLoader(new FilteredClassLoader(JdbcTemplate.class)).run(context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(MutationPublisher.class)
                        .doesNotHaveBean(OutboxRelay.class));
    }

    @Test
    void anApplicationsOwnPublisherReplacesTheOutboxOne() {
        MutationPublisher own = (tenant, domain, operation, entityId, tags) -> (DomainMutated) null;
        withDatabase.withBean(MutationPublisher.class, () -> own).run(context -> {
            assertThat(context).hasSingleBean(MutationPublisher.class);
            assertThat(context.getBean(MutationPublisher.class)).isSameAs(own);
        });
    }

    @Test
    void aZeroSweepIntervalWouldSpinTheRelayAndStopsTheStartInstead() {
        withDatabase.withPropertyValues("cachebus.outbox.sweep-interval=0").run(context ->
                assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("object 'cachebus' on field 'outbox.sweepInterval'")
                        .hasMessageContaining("must be longer than 0"));
    }
}
