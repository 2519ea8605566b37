package io.cachebus.invalidator.testing;

import io.cachebus.invalidator.InvalidatorApplication;
import io.cachebus.invalidator.InvalidatorProperties;
import io.cachebus.invalidator.consumer.BreakerPauseController;
import io.cachebus.invalidator.invalidation.RedisInvalidator;
import io.cachebus.local.kafka.BusTopics;
import io.cachebus.local.kafka.KafkaBroker;
import io.cachebus.local.redis.RedisCluster;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;

/**
 * One invalidator application context, started the way production starts it (same main class, same
 * {@code invalidator.yml}), pointed at the test's broker, redis-server and topics.
 */
public final class RunningInvalidator implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private RunningInvalidator(ConfigurableApplicationContext context) {
        this.context = context;
    }

    public static Builder on(KafkaBroker kafka, int redisPort, BusTopics topics) {
        return new Builder(kafka, topics).property("spring.data.redis.port", redisPort);
    }

    /** Pointed at a Redis Cluster through {@code spring.data.redis.cluster.nodes}, as a production cluster would be. */
    public static Builder onCluster(KafkaBroker kafka, RedisCluster redis, BusTopics topics) {
        return new Builder(kafka, topics).property("spring.data.redis.cluster.nodes", redis.nodeAddresses());
    }

    public ConfigurableApplicationContext context() {
        return context;
    }

    @SuppressWarnings("unchecked")
    public ConcurrentMessageListenerContainer<String, byte[]> container() {
        return context.getBean(ConcurrentMessageListenerContainer.class);
    }

    public CircuitBreaker redisBreaker() {
        return context.getBean(CircuitBreakerRegistry.class).circuitBreaker(RedisInvalidator.RESILIENCE_INSTANCE);
    }

    public BreakerPauseController pauseController() {
        return context.getBean(BreakerPauseController.class);
    }

    public MeterRegistry meters() {
        return context.getBean(MeterRegistry.class);
    }

    public String invalidatorId() {
        return context.getBean(InvalidatorProperties.class).invalidatorId();
    }

    public int httpPort() {
        return Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
    }

    @Override
    public void close() {
        context.close();
    }

    public static final class Builder {

        private final Map<String, Object> properties = new HashMap<>();
        private WebApplicationType web = WebApplicationType.NONE;
        private Consumer<ConfigurableApplicationContext> initializer = context -> { };

        private Builder(KafkaBroker kafka, BusTopics topics) {
            properties.put("spring.kafka.bootstrap-servers", kafka.bootstrapServers());
            properties.put("cachebus.invalidator.topics.mutations", topics.mutations());
            properties.put("cachebus.invalidator.topics.dead-letter", topics.deadLetter());
            properties.put("cachebus.invalidator.topics.evictions", topics.evictions());
            properties.put("cachebus.invalidator.consumer-group", topics.invalidatorGroup());
            properties.put("cachebus.invalidator.concurrency", 2);
            properties.put("cachebus.invalidator.redelivery.initial-interval", "100ms");
            properties.put("cachebus.invalidator.redelivery.max-interval", "1s");
            properties.put("server.port", 0);
            properties.put("spring.main.banner-mode", "off");
        }

        public Builder property(String name, Object value) {
            properties.put(name, value);
            return this;
        }

        /** Serve HTTP (actuator) on a random port. */
        public Builder web() {
            web = WebApplicationType.SERVLET;
            return this;
        }

        /** Runs before the context refreshes, e.g. to add a bean post-processor. */
        public Builder initializer(Consumer<ConfigurableApplicationContext> initializer) {
            this.initializer = initializer;
            return this;
        }

        public RunningInvalidator start() {
            // As command-line arguments, so they beat invalidator.yml (whose defaults point at the machine's
            // shared Redis on 6379, which tests must never touch) and system properties.
            String[] arguments = properties.entrySet().stream()
                    .map(property -> "--" + property.getKey() + "=" + property.getValue())
                    .toArray(String[]::new);
            ConfigurableApplicationContext context = InvalidatorApplication.builder()
                    .web(web)
                    .initializers(initializer::accept)
                    .run(arguments);
            return new RunningInvalidator(context);
        }
    }
}
