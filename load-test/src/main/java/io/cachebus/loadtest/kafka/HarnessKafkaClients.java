package io.cachebus.loadtest.kafka;

import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The configurations of the Kafka clients the harness opens itself (byte-array values, as the services' topics
 * carry): a phase adds what it needs on top.
 */
public final class HarnessKafkaClients {

    private HarnessKafkaClients() {
    }

    /** A producer every record of which the broker acknowledges ({@code acks=all}). */
    public static Properties producer(String bootstrapServers, Class<? extends Serializer<?>> keySerializer) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, keySerializer.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        return config;
    }

    /** A producer that sends as a node's outbox and the invalidator's broadcasts do: idempotent, no linger. */
    public static Properties producerAsTheServices(String bootstrapServers,
            Class<? extends Serializer<?>> keySerializer) {
        Properties config = producer(bootstrapServers, keySerializer);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        config.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        return config;
    }

    /** A consumer with the client's fetch settings (the services keep them too) that commits nothing by itself. */
    public static Properties consumer(String bootstrapServers, Class<? extends Deserializer<?>> keyDeserializer) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, keyDeserializer.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return config;
    }
}
