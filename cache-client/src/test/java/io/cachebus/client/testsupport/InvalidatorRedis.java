package io.cachebus.client.testsupport;

import io.cachebus.client.internal.eviction.EvictionBroadcastHandler;
import io.cachebus.events.EvictionBroadcast;
import io.cachebus.invalidator.coalescing.InvalidationGroup;
import io.cachebus.invalidator.invalidation.GenerationCounters;
import io.cachebus.invalidator.invalidation.GenerationInvalidationStrategy;
import io.cachebus.invalidator.invalidation.InvalidationResult;
import io.cachebus.local.redis.RedisCluster;
import io.cachebus.local.redis.RedisServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The invalidator's Redis side without its Kafka side: its own {@link GenerationInvalidationStrategy} on a test's
 * Redis (standalone or cluster, through Spring Data Redis on Lettuce as in the service), and the broadcast it would
 * send, handed to the nodes' own {@link EvictionBroadcastHandler}. For tests whose subject is Redis, not Kafka.
 */
public final class InvalidatorRedis implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final LettuceConnectionFactory connectionFactory;
    private final GenerationInvalidationStrategy strategy;
    private final AtomicLong sequence = new AtomicLong();

    private InvalidatorRedis(LettuceConnectionFactory connectionFactory) {
        this.connectionFactory = connectionFactory;
        connectionFactory.afterPropertiesSet();
        connectionFactory.start();
        this.strategy = new GenerationInvalidationStrategy(
                new GenerationCounters(new StringRedisTemplate(connectionFactory), TIMEOUT));
    }

    public static InvalidatorRedis on(RedisServer redis) {
        return new InvalidatorRedis(new LettuceConnectionFactory(
                new RedisStandaloneConfiguration(redis.host(), redis.port())));
    }

    public static InvalidatorRedis on(RedisCluster cluster) {
        return new InvalidatorRedis(new LettuceConnectionFactory(
                new RedisClusterConfiguration(List.of(cluster.nodeAddresses().split(",")))));
    }

    /**
     * Invalidates a tenant's domain in Redis as the invalidator does, then applies the broadcast it would send on
     * every given node; returns the domain's new generation.
     */
    public long invalidate(String tenant, String domain, Node... nodes) {
        long eventSequence = sequence.incrementAndGet();
        UUID eventId = UUID.randomUUID();
        InvalidationResult result = strategy.invalidate(new InvalidationGroup(tenant, domain, List.of(),
                List.of(new InvalidationGroup.CoalescedEvent(eventId, eventSequence, "test-writer", Instant.now()))));
        EvictionBroadcast broadcast = new EvictionBroadcast(tenant, domain, List.of(), eventSequence, eventSequence,
                result.generation(), List.of(eventId), "test-invalidator", Instant.now());
        for (Node node : nodes) {
            node.bean(EvictionBroadcastHandler.class).apply(broadcast);
        }
        return result.generation();
    }

    /**
     * Invalidates single-entity writes of a tenant's domain in Redis as the invalidator does (ADR 0017: the entities'
     * and the domain's collections' counters, not the domain's), then applies the broadcast it would send on every
     * given node; returns the collections' new generation.
     */
    public long invalidateEntities(String tenant, String domain, List<String> entityIds, Node... nodes) {
        long eventSequence = sequence.incrementAndGet();
        UUID eventId = UUID.randomUUID();
        InvalidationResult result = strategy.invalidate(new InvalidationGroup(tenant, domain, List.of(),
                List.of(new InvalidationGroup.CoalescedEvent(eventId, eventSequence, "test-writer", Instant.now())),
                entityIds));
        EvictionBroadcast broadcast = new EvictionBroadcast(tenant, domain, List.of(), eventSequence, eventSequence,
                result.generation(), List.of(eventId), "test-invalidator", Instant.now(), false, entityIds);
        for (Node node : nodes) {
            node.bean(EvictionBroadcastHandler.class).apply(broadcast);
        }
        return result.generation();
    }

    @Override
    public void close() {
        connectionFactory.destroy();
    }
}
