package io.cachebus.invalidator.invalidation;

import io.cachebus.events.CacheKeys;
import io.cachebus.invalidator.coalescing.InvalidationGroup;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The generation counters of a group (its domain's and each tag's, see the Redis layout contract), INCRed in
 * one round trip.
 *
 * <p>The INCRs are pipelined through the shared Lettuce connection's asynchronous API ({@link LettuceAsync}). The
 * counters of one group belong to one tenant and carry its hash tag, so on Redis Cluster they all live in one
 * slot: the INCRs go to one primary, never as a cross-slot command.
 *
 * <p>With {@code replicaAcks > 0} the INCRs are followed by {@code WAIT replicaAcks timeout} on the same connection,
 * and the invalidation only counts as done once that many replicas hold it. Without it, an INCR a primary acknowledged
 * but had not yet sent to its replica when it died is lost in a failover, after its offset was committed (ADR 0008).
 */
public final class GenerationCounters {

    private final StringRedisTemplate redis;
    private final Duration timeout;
    private final int replicaAcks;
    private final Duration replicaAckTimeout;

    /**
     * @param timeout           how long to wait for all replies; normally the Lettuce command timeout
     *                          ({@code spring.data.redis.timeout})
     * @param replicaAcks       how many replicas must have the INCRs before they count (0: the primary's word)
     * @param replicaAckTimeout the WAIT timeout, below {@code timeout}
     */
    public GenerationCounters(StringRedisTemplate redis, Duration timeout, int replicaAcks, Duration replicaAckTimeout) {
        if (replicaAcks < 0) {
            throw new IllegalArgumentException("replicaAcks must not be negative");
        }
        this.redis = redis;
        this.timeout = timeout;
        this.replicaAcks = replicaAcks;
        this.replicaAckTimeout = replicaAckTimeout;
    }

    /** Counters acknowledged by the primary alone. */
    public GenerationCounters(StringRedisTemplate redis, Duration timeout) {
        this(redis, timeout, 0, Duration.ZERO);
    }

    /** INCRs the domain counter and every tag counter of the group; returns the domain counter's new value. */
    public long increment(InvalidationGroup group) {
        List<String> keys = counterKeys(group);
        List<Long> values = redis.execute((RedisCallback<List<Long>>) connection -> incrementAll(connection, keys));
        if (values == null || values.size() != keys.size()) {
            throw new RedisSystemException("INCR of " + keys + " returned " + values, null);
        }
        return values.get(0);
    }

    /** The domain counter first, then the tag counters in the group's tag order. */
    static List<String> counterKeys(InvalidationGroup group) {
        List<String> keys = new ArrayList<>(1 + group.tags().size());
        keys.add(CacheKeys.generationKeyOfDomain(group.tenant(), group.domain()));
        group.tags().forEach(tag -> keys.add(CacheKeys.generationKey(group.tenant(), tag)));
        return keys;
    }

    private List<Long> incrementAll(RedisConnection connection, List<String> keys) {
        // WAIT counts the writes of its own connection: then the INCRs must go over the primary's node connection
        RedisClusterAsyncCommands<byte[], byte[]> commands = replicaAcks == 0
                ? LettuceAsync.commands(connection) : LettuceAsync.primaryConnectionOf(connection, keys.get(0));
        List<RedisFuture<Long>> replies = new ArrayList<>(keys.size() + 1);
        keys.forEach(key -> replies.add(commands.incr(LettuceAsync.bytes(key))));
        if (replicaAcks > 0) {
            replies.add(commands.waitForReplication(replicaAcks, replicaAckTimeout.toMillis()));
        }
        List<Long> values = LettuceAsync.awaitAll(replies, timeout, "INCR of " + keys);
        if (replicaAcks == 0) {
            return values;
        }
        long acked = values.get(keys.size());
        if (acked < replicaAcks) {
            throw new RedisSystemException("INCR of " + keys + " reached " + acked + " of " + replicaAcks
                    + " replicas within " + replicaAckTimeout.toMillis() + " ms", null);
        }
        return values.subList(0, keys.size());
    }
}
