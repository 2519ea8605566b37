package io.cachebus.loadtest.invalidation;

import io.cachebus.invalidator.InvalidatorProperties;
import io.cachebus.invalidator.coalescing.InvalidationGroup;
import io.cachebus.invalidator.invalidation.GenerationCounters;
import io.cachebus.invalidator.invalidation.GenerationInvalidationStrategy;
import io.cachebus.invalidator.invalidation.InvalidationResult;
import io.cachebus.invalidator.invalidation.PrefixInvalidationStrategy;
import io.cachebus.invalidator.invalidation.ScanDeleteInvalidationStrategy;
import io.cachebus.local.redis.RedisServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The invalidator's own strategies, {@code scan} and {@code generation} (its default), configured exactly as an
 * invalidator with default settings configures them (its {@link InvalidatorProperties} bound from nothing), on a
 * Lettuce connection to the benchmark's redis-server.
 */
public final class InvalidatorStrategies implements PrefixStrategies {

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    @Override
    public Bound on(RedisServer redis) {
        InvalidatorProperties defaults = new Binder(new MapConfigurationPropertySource(Map.of()))
                .bindOrCreate("cachebus.invalidator", InvalidatorProperties.class);
        LettuceConnectionFactory connections = new LettuceConnectionFactory(
                new RedisStandaloneConfiguration(redis.host(), redis.port()));
        connections.afterPropertiesSet();
        connections.start();
        StringRedisTemplate template = new StringRedisTemplate(connections);
        GenerationCounters counters = new GenerationCounters(template, COMMAND_TIMEOUT);
        PrefixStrategy scan = adapt(new ScanDeleteInvalidationStrategy(counters, template, defaults.scanCount(),
                defaults.unlinkBatch(), COMMAND_TIMEOUT));
        PrefixStrategy generation = adapt(new GenerationInvalidationStrategy(counters));
        return new Bound() {
            @Override
            public PrefixStrategy scan() {
                return scan;
            }

            @Override
            public PrefixStrategy defaultStrategy() {
                return generation;
            }

            @Override
            public void close() {
                connections.destroy();
            }
        };
    }

    /**
     * One invalidation of a group of one event, as the invalidator's pipeline hands it a coalesced group. A
     * strategy that reports no count (the generation strategy orphans entries instead of deleting them) made
     * every entry under the prefix unreachable.
     */
    private static PrefixStrategy adapt(PrefixInvalidationStrategy strategy) {
        AtomicLong sequence = new AtomicLong();
        return new PrefixStrategy() {
            @Override
            public String name() {
                return strategy.name();
            }

            @Override
            public long invalidate(String tenant, String domain, long entriesUnderPrefix) {
                InvalidationGroup group = new InvalidationGroup(tenant, domain, List.of(),
                        List.of(new InvalidationGroup.CoalescedEvent(UUID.randomUUID(), sequence.incrementAndGet(),
                                "cachebus-load-test", Instant.now())));
                InvalidationResult result = strategy.invalidate(group);
                return result.keysRemoved().orElse(entriesUnderPrefix);
            }
        };
    }
}
