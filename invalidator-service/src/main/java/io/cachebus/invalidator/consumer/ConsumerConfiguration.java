package io.cachebus.invalidator.consumer;

import io.cachebus.invalidator.InvalidatorMeter;
import io.cachebus.events.EventCodec;
import io.cachebus.events.EventDecodingException;
import io.cachebus.invalidator.InvalidatorProperties;
import io.cachebus.invalidator.broadcast.EvictionBroadcaster;
import io.cachebus.invalidator.broadcast.ProgressPublisher;
import io.cachebus.invalidator.invalidation.RedisInvalidator;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaConsumerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ConsumerAwareRecordRecoverer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.RetryListener;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * The mutation consumer: a batch listener container in the invalidator's consumer group, its error handling
 * (dead-letter only what cannot be decoded, redeliver everything else for ever), its progress heartbeats and the
 * pause while broadcasts cannot be sent.
 */
@Configuration(proxyBeanMethods = false)
public class ConsumerConfiguration {

    /** The listener container's id and bean name. */
    public static final String LISTENER_ID = "cachebus-invalidator";

    private static final Logger log = LoggerFactory.getLogger(ConsumerConfiguration.class);

    /**
     * Connection, security and tuning come from {@code spring.kafka.consumer.*}; offsets are only ever committed
     * by the container after the work, and a new group starts from the oldest event, whatever is configured.
     */
    @Bean
    DefaultKafkaConsumerFactory<String, byte[]> invalidatorConsumerFactory(
            KafkaProperties kafka, ObjectProvider<DefaultKafkaConsumerFactoryCustomizer> customizers) {
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        DefaultKafkaConsumerFactory<String, byte[]> factory = new DefaultKafkaConsumerFactory<>(config);
        // Boot's customizers include the MicrometerConsumerListener: kafka.consumer.* metrics such as records-lag-max.
        customizers.orderedStream().forEach(customizer -> customizer.customize(factory));
        return factory;
    }

    @Bean
    InvalidationPipeline invalidationPipeline(RedisInvalidator invalidator, InvalidatorProperties properties,
                                              MeterRegistry meters) {
        return new InvalidationPipeline(invalidator, properties.entityScopes().maxPerGroupIfEnabled(), meters);
    }

    @Bean
    ProgressTracker progressTracker(InvalidatorProperties properties, ProgressPublisher publisher,
                                    CircuitBreakerRegistry breakers, MeterRegistry meters) {
        return new ProgressTracker(properties.topics().mutations(), LISTENER_ID, publisher,
                breakers.circuitBreaker(RedisInvalidator.RESILIENCE_INSTANCE),
                properties.progress().unchangedInterval(), System::nanoTime, meters);
    }

    @Bean
    MutationBatchListener mutationBatchListener(EventCodec codec, InvalidationPipeline pipeline,
                                                EvictionBroadcaster broadcaster, ProgressTracker progress,
                                                InvalidatorProperties properties, MeterRegistry meters) {
        return new MutationBatchListener(codec, pipeline, broadcaster, progress, properties.broadcastFormat(),
                properties.batchTimeBudget(), meters);
    }

    /**
     * Poison records (the codec refused them) are not retryable and go straight to the dead-letter topic, with
     * the reason in headers; their offset is committed. Every other failure, whatever its type, is retried with
     * an exponential back-off that never ends, because a valid event must never be dead-lettered for Redis or
     * Kafka trouble (or a bug): Spring Kafka's default list of fatal exceptions is replaced, not extended, and
     * the recoverer itself refuses any record the codec did not refuse.
     */
    @Bean
    DefaultErrorHandler invalidatorErrorHandler(KafkaTemplate<String, byte[]> kafka, InvalidatorProperties properties,
                                                MeterRegistry meters) {
        String deadLetterTopic = properties.topics().deadLetter();
        // A negative partition lets the producer partition by the original key, whatever the DLT's partition count.
        DeadLetterPublishingRecoverer deadLetters = new DeadLetterPublishingRecoverer(kafka,
                (record, exception) -> new TopicPartition(deadLetterTopic, -1));
        deadLetters.addHeadersFunction(DeadLetterHeaders::of);
        deadLetters.setWaitForSendResultTimeout(properties.broadcastAckTimeout());
        ConsumerAwareRecordRecoverer onlyPoison = (record, consumer, exception) -> {
            if (DeadLetterHeaders.decodingCause(exception) == null) {
                throw new IllegalStateException("refusing to dead-letter " + record.topic() + "-" + record.partition()
                        + "@" + record.offset() + ": the codec did not refuse it", exception);
            }
            deadLetters.accept(record, consumer, exception);
        };

        InvalidatorProperties.Redelivery redelivery = properties.redelivery();
        ExponentialBackOff backOff = new ExponentialBackOff(redelivery.initialInterval().toMillis(), redelivery.multiplier());
        backOff.setMaxInterval(redelivery.maxInterval().toMillis());
        backOff.setMaxElapsedTime(Long.MAX_VALUE);
        backOff.setMaxAttempts(Long.MAX_VALUE);

        DefaultErrorHandler handler = new DefaultErrorHandler(onlyPoison, backOff);
        handler.setClassifications(Map.of(EventDecodingException.class, false), true);
        handler.setCommitRecovered(true);
        // MutationBatchListener logs each failure in one key=value line; the handler's stack traces are for debugging.
        handler.setLogLevel(KafkaException.Level.DEBUG);
        handler.setRetryListeners(new DeadLetterLog(meters));
        return handler;
    }

    /**
     * The listener commits what it finished itself ({@code MANUAL_IMMEDIATE}): a batch may be done only in part
     * (time budget) or done without its Redis work (pending), and those offsets must not be committed. By default
     * the commit is asynchronous: the next poll does not wait a broker round trip for it (ADR 0021). Polls return
     * within the progress interval and the container reports itself idle on it, which is when an idle consumer sends
     * its heartbeat and redoes pending Redis work once Redis is back.
     */
    @Bean(LISTENER_ID)
    ConcurrentMessageListenerContainer<String, byte[]> invalidatorListenerContainer(
            DefaultKafkaConsumerFactory<String, byte[]> consumerFactory, DefaultErrorHandler errorHandler,
            MutationBatchListener listener, ProgressTracker progress, InvalidatorProperties properties) {
        requireBudgetBelowPollInterval(properties.batchTimeBudget(), consumerFactory.getConfigurationProperties());
        long progressInterval = properties.progress().interval().toMillis();
        ContainerProperties containerProperties = new ContainerProperties(properties.topics().mutations());
        containerProperties.setGroupId(properties.consumerGroup());
        containerProperties.setClientId(properties.invalidatorId());
        containerProperties.setAckMode(ContainerProperties.AckMode.MANUAL_IMMEDIATE);
        containerProperties.setSyncCommits(properties.syncCommits());
        containerProperties.setPollTimeout(progressInterval);
        containerProperties.setIdleEventInterval(progressInterval);
        containerProperties.setIdleBeforeDataMultiplier(1.0);
        containerProperties.setConsumerRebalanceListener(progress);
        containerProperties.setMessageListener(listener);
        ConcurrentMessageListenerContainer<String, byte[]> container =
                new ConcurrentMessageListenerContainer<>(consumerFactory, containerProperties);
        container.setConcurrency(properties.concurrency());
        container.setCommonErrorHandler(errorHandler);
        return container;
    }

    /**
     * Only the broadcast breaker pauses the consumer: without Kafka nothing can be broadcast, whereas without Redis
     * batches are still broadcast with their Redis work pending (the Redis breaker only stops Redis attempts).
     */
    @Bean
    BreakerPauseController breakerPauseController(ConcurrentMessageListenerContainer<String, byte[]> container,
                                                  CircuitBreakerRegistry breakers) {
        return new BreakerPauseController(container, List.of(
                breakers.circuitBreaker(EvictionBroadcaster.RESILIENCE_INSTANCE)));
    }

    /** A budget at or above the poll interval would let a slow batch get the consumer evicted after all. */
    static void requireBudgetBelowPollInterval(Duration budget, Map<String, Object> consumerConfig) {
        Object configured = consumerConfig.getOrDefault(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG,
                ConsumerConfig.configDef().defaultValues().get(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG));
        long maxPollInterval = Long.parseLong(configured.toString());
        if (budget.toMillis() >= maxPollInterval) {
            throw new IllegalArgumentException("cachebus.invalidator.batch-time-budget (" + budget.toMillis()
                    + " ms) must be well below max.poll.interval.ms (" + maxPollInterval + " ms)");
        }
    }

    /**
     * Logs and counts each record the error handler dead-lettered ({@code cachebus.invalidator.dead.letters});
     * only records the codec refused get that far.
     */
    private static final class DeadLetterLog implements RetryListener {

        private final Meter.MeterProvider<Counter> deadLetters;

        DeadLetterLog(MeterRegistry meters) {
            this.deadLetters = InvalidatorMeter.DEAD_LETTERS.counter().withRegistry(meters);
        }

        @Override
        public void failedDelivery(ConsumerRecord<?, ?> record, Exception exception, int deliveryAttempt) {
            // Redelivery of a failed batch is logged by MutationBatchListener.
        }

        @Override
        public void recovered(ConsumerRecord<?, ?> record, Exception exception) {
            EventDecodingException decoding = DeadLetterHeaders.decodingCause(exception);
            String reason = decoding.reason().name();
            deadLetters.withTag("reason", reason).increment();
            String field = decoding.field() == null ? "-" : decoding.field();
            String message = DeadLetterHeaders.printable(decoding.getMessage());
            log.warn("dead-lettered record={}-{}@{} reason={} field={} message=\"{}\"", record.topic(),
                    record.partition(), record.offset(), reason, field, message);
        }
    }
}
