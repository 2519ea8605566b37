package io.cachebus.client.autoconfigure;

import io.cachebus.client.internal.consistency.EnforcedStalenessBound;
import io.cachebus.client.internal.eviction.EvictionSubscription;
import io.cachebus.client.internal.outbox.OutboxRelay;
import io.cachebus.client.internal.tiered.RedisEntryStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code cachebus} health indicator, when the application has Spring Boot's health support (actuator) and did not
 * turn it off with {@code management.health.cachebus.enabled=false}.
 */
@AutoConfiguration(after = {CachebusAutoConfiguration.class, CachebusRedisAutoConfiguration.class,
        CachebusOutboxAutoConfiguration.class, CachebusEvictionAutoConfiguration.class,
        CachebusConsistencyAutoConfiguration.class})
@ConditionalOnClass(HealthIndicator.class)
public class CachebusHealthAutoConfiguration {

    @Bean
    @ConditionalOnEnabledHealthIndicator("cachebus")
    @ConditionalOnMissingBean(name = "cachebusHealthIndicator")
    public CachebusHealthIndicator cachebusHealthIndicator(NodeIdentity node, ObjectProvider<RedisEntryStore> redis,
            ObjectProvider<OutboxRelay> relay, ObjectProvider<EvictionSubscription> evictions,
            ObjectProvider<EnforcedStalenessBound> bound) {
        return new CachebusHealthIndicator(node.id(), redis.getIfAvailable(), relay.getIfAvailable(),
                evictions.getIfAvailable(), bound.getIfAvailable());
    }
}
