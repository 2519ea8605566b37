package io.cachebus.client.autoconfigure;

import java.util.HashMap;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

/** The application's {@code spring.kafka.*} settings, as the starting point of every Kafka client cachebus makes. */
final class KafkaClientSettings {

    private KafkaClientSettings() {
    }

    static Map<String, Object> consumer(ObjectProvider<KafkaProperties> kafkaProperties) {
        return new HashMap<>(kafkaProperties.getIfAvailable(KafkaProperties::new).buildConsumerProperties());
    }

    static Map<String, Object> producer(ObjectProvider<KafkaProperties> kafkaProperties) {
        return new HashMap<>(kafkaProperties.getIfAvailable(KafkaProperties::new).buildProducerProperties());
    }
}
