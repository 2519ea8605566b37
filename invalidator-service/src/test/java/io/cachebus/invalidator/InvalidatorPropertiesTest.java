package io.cachebus.invalidator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cachebus.events.Topics;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The documented defaults are what binding an empty configuration gives, and nonsense is refused at startup. */
class InvalidatorPropertiesTest {

    @Test
    void defaults() {
        InvalidatorProperties properties = bind(Map.of());

        assertThat(properties.strategy()).isEqualTo(InvalidatorProperties.Strategy.GENERATION);
        assertThat(properties.scanCount()).isEqualTo(100);
        assertThat(properties.unlinkBatch()).isEqualTo(500);
        assertThat(properties.topics()).isEqualTo(new InvalidatorProperties.TopicNames(
                Topics.DOMAIN_MUTATED, Topics.DOMAIN_MUTATED_DLT, Topics.EVICTIONS));
        assertThat(properties.consumerGroup()).isEqualTo("cachebus-invalidator");
        assertThat(properties.metrics().tenantLabel()).as("one series per tenant is opt-in").isFalse();
        assertThat(properties.redelivery().maxInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(properties.redisReplication())
                .isEqualTo(new InvalidatorProperties.RedisReplication(0, Duration.ofMillis(500)));
        assertThat(properties.progress().interval()).isEqualTo(Duration.ofMillis(100));
        assertThat(properties.batchTimeBudget()).isEqualTo(Duration.ofSeconds(30));
        assertThat(properties.syncCommits()).as("the next poll does not wait for the commit").isFalse();
        assertThat(properties.invalidatorId()).matches("[A-Za-z0-9_.-]+-[0-9a-f]{6}");
        assertThat(bind(Map.of()).invalidatorId()).as("two instances on one host differ")
                .isNotEqualTo(properties.invalidatorId());
    }

    @Test
    void theStrategyAndTheTenantLabelAreChosenByConfiguration() {
        InvalidatorProperties properties = bind(Map.of("cachebus.invalidator.strategy", "scan",
                "cachebus.invalidator.metrics.tenant-label", "true", "cachebus.invalidator.invalidator-id", "inv-a",
                "cachebus.invalidator.sync-commits", "true"));

        assertThat(properties.syncCommits()).isTrue();
        assertThat(properties.strategy()).isEqualTo(InvalidatorProperties.Strategy.SCAN);
        assertThat(properties.metrics().tenantLabel()).isTrue();
        assertThat(properties.invalidatorId()).isEqualTo("inv-a");
    }

    @Test
    void valuesThatWouldFailEveryBatchAreRefusedAtStartup() {
        assertThatThrownBy(() -> bind(Map.of("cachebus.invalidator.scan-count", "0")))
                .isInstanceOf(BindException.class).hasRootCauseMessage("cachebus.invalidator.scan-count must be positive, was 0");
        assertThatThrownBy(() -> bind(Map.of("cachebus.invalidator.invalidator-id", "x".repeat(129))))
                .isInstanceOf(BindException.class).rootCause().hasMessageContaining("invalidator-id");
        assertThatThrownBy(() -> bind(Map.of("cachebus.invalidator.redis-replication.min-acks", "-1")))
                .isInstanceOf(BindException.class).rootCause().hasMessageContaining("min-acks");
        assertThatThrownBy(() -> bind(Map.of("cachebus.invalidator.progress.interval", "0s")))
                .isInstanceOf(BindException.class).rootCause().hasMessageContaining("progress.interval");
        assertThatThrownBy(() -> bind(Map.of("cachebus.invalidator.batch-time-budget", "0s")))
                .isInstanceOf(BindException.class).rootCause().hasMessageContaining("batch-time-budget");
    }

    private static InvalidatorProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values))
                .bindOrCreate("cachebus.invalidator", InvalidatorProperties.class);
    }
}
