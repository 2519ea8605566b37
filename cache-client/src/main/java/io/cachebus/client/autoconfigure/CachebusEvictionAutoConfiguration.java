package io.cachebus.client.autoconfigure;

import static io.cachebus.client.autoconfigure.CachebusAutoConfiguration.EVICTION_GROUP_PREFIX;

import io.cachebus.client.internal.consistency.InvalidationWatermarks;
import io.cachebus.client.internal.eviction.EvictionBroadcastHandler;
import io.cachebus.client.internal.eviction.EvictionListener;
import io.cachebus.events.EventCodec;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;

/** This node's own subscription to every eviction broadcast. */
@AutoConfiguration(after = CachebusAutoConfiguration.class,
        afterName = "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration")
@ConditionalOnClass({KafkaMessageListenerContainer.class, KafkaProperties.class})
@ConditionalOnProperty(prefix = "cachebus.eviction", name = "enabled", havingValue = "true", matchIfMissing = true)
public class CachebusEvictionAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public EvictionListener cachebusEvictionListener(EventCodec codec, EvictionBroadcastHandler handler,
            InvalidationWatermarks watermarks) {
        return new EvictionListener(codec, handler, watermarks);
    }

    /**
     * A group of its own (unique per start), so every node gets every broadcast, from the latest offset: what
     * happened before the start is covered by the node starting empty. Offsets are never committed.
     */
    @Bean
    @ConditionalOnMissingBean(name = "cachebusEvictionListenerContainer")
    public KafkaMessageListenerContainer<String, byte[]> cachebusEvictionListenerContainer(
            CachebusProperties properties, ObjectProvider<KafkaProperties> kafkaProperties, NodeIdentity node,
            EvictionListener listener) {
        String groupId = EVICTION_GROUP_PREFIX + node.id() + "-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> props = KafkaClientSettings.consumer(kafkaProperties);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        ContainerProperties container = new ContainerProperties(properties.getEviction().getTopic());
        container.setGroupId(groupId);
        container.setMessageListener(listener);
        container.setConsumerRebalanceListener(listener);
        // the group is this start's alone: committed offsets would never be read again
        container.setAckMode(ContainerProperties.AckMode.MANUAL);
        KafkaMessageListenerContainer<String, byte[]> result = new KafkaMessageListenerContainer<>(
                new DefaultKafkaConsumerFactory<>(props), container);
        result.setBeanName("cachebusEvictionListenerContainer");
        return result;
    }
}
