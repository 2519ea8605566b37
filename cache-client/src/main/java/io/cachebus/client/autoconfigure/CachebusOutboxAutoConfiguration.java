package io.cachebus.client.autoconfigure;

import static io.cachebus.client.autoconfigure.AutoConfigurationSupport.meterRegistry;

import io.cachebus.client.MutationPublisher;
import io.cachebus.client.internal.outbox.OutboxRelay;
import io.cachebus.client.internal.outbox.OutboxSchema;
import io.cachebus.client.internal.outbox.TransactionalMutationPublisher;
import io.cachebus.client.internal.tiered.LocalInvalidation;
import io.cachebus.client.internal.tiered.ReadYourWrites;
import io.cachebus.events.EventCodec;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.ProducerListener;

/**
 * The {@link MutationPublisher} over a transactional outbox, and the relay that sends the outbox to Kafka, when the
 * application has a database.
 */
@AutoConfiguration(after = CachebusAutoConfiguration.class, afterName = {
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
        "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration"})
@ConditionalOnClass({JdbcTemplate.class, KafkaTemplate.class, KafkaProperties.class})
@ConditionalOnSingleCandidate(DataSource.class)
public class CachebusOutboxAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public OutboxRelay cachebusOutboxRelay(CachebusProperties properties, DataSource dataSource,
            ObjectProvider<KafkaProperties> kafkaProperties, NodeIdentity node,
            ObjectProvider<MeterRegistry> meterRegistry) {
        CachebusProperties.Outbox outbox = properties.getOutbox();
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        // a statement stuck on a lock or a dead connection would stop the relay's one thread for good
        jdbc.setQueryTimeout((int) Math.max(1, outbox.getSendTimeout().toSeconds()));
        if (outbox.isInitializeSchema()) {
            OutboxSchema.create(jdbc);
        }
        DefaultKafkaProducerFactory<String, byte[]> producers = producers(relayProducerProperties(kafkaProperties,
                outbox), outbox);
        // the writing thread hands its event over and never waits: no metadata or no room fails the send at once,
        // and the row goes to the relay
        Map<String, Object> directProperties = relayProducerProperties(kafkaProperties, outbox);
        directProperties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 0);
        directProperties.put(ProducerConfig.CLIENT_ID_CONFIG, "cachebus-outbox-direct-" + node.id());
        DefaultKafkaProducerFactory<String, byte[]> directProducers = producers(directProperties, outbox);
        OutboxRelay.Settings settings = new OutboxRelay.Settings(properties.getMutationTopic(),
                outbox.getBatchSize(), outbox.getSweepInterval(), outbox.getOrphanAfter(), outbox.getRetention(),
                outbox.getSendTimeout(), outbox.getDirectSend().isEnabled(), outbox.getDirectSend().getMaxInFlight());
        return new OutboxRelay(jdbc, template(producers), template(directProducers), node.id(), settings,
                meterRegistry(meterRegistry), () -> {
                    producers.destroy();
                    directProducers.destroy();
                });
    }

    private static DefaultKafkaProducerFactory<String, byte[]> producers(Map<String, Object> properties,
            CachebusProperties.Outbox outbox) {
        DefaultKafkaProducerFactory<String, byte[]> producers = new DefaultKafkaProducerFactory<>(properties,
                new StringSerializer(), new ByteArraySerializer());
        producers.setPhysicalCloseTimeout((int) Math.max(1, outbox.getSendTimeout().toSeconds() / 2));
        return producers;
    }

    private static KafkaTemplate<String, byte[]> template(DefaultKafkaProducerFactory<String, byte[]> producers) {
        KafkaTemplate<String, byte[]> kafka = new KafkaTemplate<>(producers);
        kafka.setProducerListener(new ProducerListener<>() {
            // the relay logs failures itself, once per outage rather than once per row
        });
        return kafka;
    }

    @Bean
    @ConditionalOnMissingBean(MutationPublisher.class)
    public TransactionalMutationPublisher cachebusMutationPublisher(DataSource dataSource, EventCodec codec,
            NodeIdentity node, LocalInvalidation localInvalidation, ReadYourWrites readYourWrites,
            OutboxRelay relay, ObjectProvider<MeterRegistry> meterRegistry) {
        return new TransactionalMutationPublisher(new JdbcTemplate(dataSource), codec, node.id(),
                localInvalidation, readYourWrites, relay, Clock.systemUTC(),
                meterRegistry(meterRegistry));
    }

    /** Safe for an outbox: nothing lost (acks=all, idempotent) and an outage noticed within the send timeout. */
    private static Map<String, Object> relayProducerProperties(ObjectProvider<KafkaProperties> kafkaProperties,
            CachebusProperties.Outbox outbox) {
        long sendTimeoutMs = outbox.getSendTimeout().toMillis();
        Map<String, Object> props = KafkaClientSettings.producer(kafkaProperties);
        props.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) sendTimeoutMs);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) (sendTimeoutMs / 2));
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, sendTimeoutMs / 2);
        return props;
    }
}
