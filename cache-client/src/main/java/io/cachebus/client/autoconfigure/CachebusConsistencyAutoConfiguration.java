package io.cachebus.client.autoconfigure;

import static io.cachebus.client.autoconfigure.AutoConfigurationSupport.meterRegistry;

import io.cachebus.client.internal.consistency.EnforcedStalenessBound;
import io.cachebus.client.internal.consistency.FreshnessProbe;
import io.cachebus.client.internal.consistency.InvalidationWatermarks;
import io.cachebus.client.internal.consistency.KafkaEndOffsets;
import io.cachebus.client.internal.eviction.EvictionListener;
import io.cachebus.client.internal.outbox.OutboxBacklog;
import io.cachebus.client.internal.outbox.OutboxRelay;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;

/**
 * The staleness bound this node enforces (ADR 0011): it serves cached data only while it can show that every
 * invalidation older than {@code cachebus.consistency.max-staleness} has reached it, which it can know only through
 * its eviction subscription.
 */
@AutoConfiguration(after = {CachebusEvictionAutoConfiguration.class, CachebusOutboxAutoConfiguration.class})
@ConditionalOnClass({KafkaMessageListenerContainer.class, KafkaProperties.class})
@ConditionalOnBean(EvictionListener.class)
@ConditionalOnProperty(prefix = "cachebus.consistency", name = "enforce", havingValue = "true", matchIfMissing = true)
public class CachebusConsistencyAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public EnforcedStalenessBound cachebusStalenessBound(CachebusProperties properties) {
        return new EnforcedStalenessBound(properties.getConsistency().getMaxStaleness(), Clock.systemUTC());
    }

    /**
     * Works out how far this node is behind, with a consumer of its own on the mutation topic (end offsets only)
     * and, when the node has the outbox, the outbox's unsent rows.
     */
    @Bean
    @ConditionalOnMissingBean
    public FreshnessProbe cachebusFreshnessProbe(CachebusProperties properties,
            ObjectProvider<KafkaProperties> kafkaProperties, ObjectProvider<OutboxRelay> relay,
            ObjectProvider<DataSource> dataSource, InvalidationWatermarks watermarks, EnforcedStalenessBound bound,
            ObjectProvider<MeterRegistry> meterRegistry) {
        CachebusProperties.Consistency consistency = properties.getConsistency();
        Map<String, Object> props = KafkaClientSettings.consumer(kafkaProperties);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "cachebus-freshness-probe");
        KafkaEndOffsets endOffsets = new KafkaEndOffsets(new DefaultKafkaConsumerFactory<>(props,
                new ByteArrayDeserializer(), new ByteArrayDeserializer()).createConsumer(),
                properties.getMutationTopic(), consistency.getProbeTimeout());
        // the outbox only when this node relays one: then writes not yet in Kafka are waited for too
        OutboxBacklog outbox = relay.getIfAvailable() == null ? null
                : new OutboxBacklog(new JdbcTemplate(dataSource.getObject()), consistency.getOutboxScopesPerProbe());
        return new FreshnessProbe(endOffsets, outbox, watermarks, bound, Clock.systemUTC(),
                consistency.getProbeInterval(), consistency.getProbePauseWhenUnaskedFor(), meterRegistry(meterRegistry),
                endOffsets::close);
    }
}
