package io.cachebus.invalidator.invalidation;

import io.cachebus.invalidator.InvalidatorProperties;
import io.cachebus.invalidator.resilience.GuardedCall;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.RetryRegistry;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.resource.Delay;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/** The Redis side: the configured strategy behind its breaker and retry, and Lettuce tuned to fail fast. */
@Configuration(proxyBeanMethods = false)
public class InvalidationConfiguration {

    @Bean
    GenerationCounters generationCounters(StringRedisTemplate redis, LettuceConnectionFactory connectionFactory,
                                          InvalidatorProperties properties) {
        InvalidatorProperties.RedisReplication replication = properties.redisReplication();
        return new GenerationCounters(redis, commandTimeout(connectionFactory), replication.minAcks(),
                replication.timeout(), properties.generationTtl());
    }

    @Bean
    PrefixInvalidationStrategy prefixInvalidationStrategy(InvalidatorProperties properties, GenerationCounters counters,
                                                          StringRedisTemplate redis,
                                                          LettuceConnectionFactory connectionFactory) {
        return switch (properties.strategy()) {
            case GENERATION -> new GenerationInvalidationStrategy(counters, properties.redisBatchGroups());
            case SCAN -> new ScanDeleteInvalidationStrategy(counters, redis, properties.scanCount(),
                    properties.unlinkBatch(), commandTimeout(connectionFactory));
        };
    }

    /** {@code spring.data.redis.timeout}: the time limit of every Redis round trip of an invalidation. */
    private static Duration commandTimeout(LettuceConnectionFactory connectionFactory) {
        return Duration.ofMillis(connectionFactory.getTimeout());
    }

    @Bean
    RedisInvalidator redisInvalidator(PrefixInvalidationStrategy strategy, InvalidatorProperties properties,
                                      CircuitBreakerRegistry breakers, RetryRegistry retries, MeterRegistry meters) {
        return new RedisInvalidator(strategy,
                GuardedCall.of(RedisInvalidator.RESILIENCE_INSTANCE, breakers, retries),
                new InvalidationMetrics(meters, properties.metrics().tenantLabel()));
    }

    /**
     * While Redis is unreachable, commands fail at once instead of queueing in Lettuce until the command
     * timeout: the breaker sees the outage immediately and nothing piles up in memory.
     */
    @Bean
    LettuceClientOptionsBuilderCustomizer rejectCommandsWhileDisconnected() {
        return options -> options.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
    }

    /** Lettuce's default reconnect back-off grows to 30 s; cap it so a recovered Redis is used again soon. */
    @Bean
    ClientResourcesBuilderCustomizer boundedReconnectDelay(InvalidatorProperties properties) {
        return resources -> resources.reconnectDelay(
                Delay.exponential(Duration.ofMillis(50), properties.redisReconnectMaxDelay(), 2, TimeUnit.MILLISECONDS));
    }
}
