package io.cachebus.invalidator.broadcast;

import io.cachebus.events.EventCodec;
import io.cachebus.invalidator.InvalidatorProperties;
import io.cachebus.invalidator.resilience.GuardedCall;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * The producer side: one idempotent, acks=all producer for broadcasts and dead letters alike. Connection, security
 * and tuning come from {@code spring.kafka.producer.*}; what correctness depends on is set here and cannot be
 * configured away.
 */
@Configuration(proxyBeanMethods = false)
public class BroadcastConfiguration {

    @Bean
    EventCodec eventCodec() {
        return new EventCodec();
    }

    @Bean
    DefaultKafkaProducerFactory<String, byte[]> invalidatorProducerFactory(
            KafkaProperties kafka, InvalidatorProperties properties,
            ObjectProvider<DefaultKafkaProducerFactoryCustomizer> customizers) {
        Map<String, Object> config = new HashMap<>(kafka.buildProducerProperties());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, properties.invalidatorId() + "-producer");
        // Kafka 4's producer waits 5 ms (linger.ms) for more records before sending a batch; every broadcast is on
        // the propagation path, and the broadcasts of one poll batch still travel together: they queue up behind
        // the first request while it is in flight. Configurable like any tuning, but 0 unless set.
        config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 0);
        DefaultKafkaProducerFactory<String, byte[]> factory = new DefaultKafkaProducerFactory<>(config);
        customizers.orderedStream().forEach(customizer -> customizer.customize(factory));
        return factory;
    }

    @Bean
    KafkaTemplate<String, byte[]> invalidatorKafkaTemplate(DefaultKafkaProducerFactory<String, byte[]> producerFactory) {
        return new KafkaTemplate<>(producerFactory);
    }

    @Bean
    EvictionBroadcaster evictionBroadcaster(KafkaTemplate<String, byte[]> kafka, EventCodec codec,
                                            InvalidatorProperties properties, CircuitBreakerRegistry breakers,
                                            RetryRegistry retries, MeterRegistry meters) {
        return new EvictionBroadcaster(kafka, codec, properties.topics().evictions(), properties.invalidatorId(),
                properties.broadcastAckTimeout(),
                GuardedCall.of(EvictionBroadcaster.RESILIENCE_INSTANCE, breakers, retries),
                Clock.systemUTC(), meters);
    }

    @Bean
    ProgressPublisher progressPublisher(KafkaTemplate<String, byte[]> kafka, EventCodec codec,
                                        InvalidatorProperties properties, MeterRegistry meters) {
        return new ProgressPublisher(kafka, codec, properties.topics().evictions(), properties.invalidatorId(),
                Clock.systemUTC(), meters);
    }
}
