package io.cachebus.invalidator.invalidation;

import io.cachebus.events.CacheKeys;
import io.cachebus.invalidator.coalescing.InvalidationGroup;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The generation counters of a group (its domain's and each tag's, see the Redis layout contract), INCRed in
 * one round trip.
 *
 * <p>The INCRs are sent through the shared Lettuce connection's asynchronous API: Lettuce writes them back to
 * back and the replies come back together, which is a pipeline without the dedicated connection that Spring
 * Data's {@code executePipelined} would open per call. It also works unchanged on Redis Cluster, where the
 * counters of one group may live in different slots (so neither MULTI nor a script could take them together).
 */
public final class GenerationCounters {

    private final StringRedisTemplate redis;
    private final Duration timeout;

    /**
     * @param timeout how long to wait for all replies; normally the Lettuce command timeout
     *                ({@code spring.data.redis.timeout})
     */
    public GenerationCounters(StringRedisTemplate redis, Duration timeout) {
        this.redis = redis;
        this.timeout = timeout;
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
        RedisClusterAsyncCommands<byte[], byte[]> async = asyncCommands(connection);
        List<CompletableFuture<Long>> replies = new ArrayList<>(keys.size());
        for (String key : keys) {
            RedisFuture<Long> reply = async.incr(key.getBytes(StandardCharsets.UTF_8));
            replies.add(reply.toCompletableFuture());
        }
        try {
            CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            replies.forEach(reply -> reply.cancel(true));
            throw new QueryTimeoutException("INCR of " + keys + " not answered within " + timeout.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            throw new RedisSystemException("INCR of " + keys + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedisSystemException("interrupted while waiting for INCR of " + keys, e);
        }
        return replies.stream().map(CompletableFuture::join).toList();
    }

    @SuppressWarnings("unchecked")
    private static RedisClusterAsyncCommands<byte[], byte[]> asyncCommands(RedisConnection connection) {
        Object nativeConnection = connection.getNativeConnection();
        if (nativeConnection instanceof RedisClusterAsyncCommands<?, ?> async) {
            return (RedisClusterAsyncCommands<byte[], byte[]>) async;
        }
        throw new IllegalStateException("the invalidator needs a Lettuce connection, got "
                + nativeConnection.getClass().getName());
    }
}
