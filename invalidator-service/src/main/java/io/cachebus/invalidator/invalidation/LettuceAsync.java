package io.cachebus.invalidator.invalidation;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.ClusterStateFailureException;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.connection.RedisConnection;

/**
 * Lettuce's asynchronous API under a Spring Data connection, standalone or cluster alike: commands written back to
 * back whose replies are awaited together, i.e. a pipeline on the shared connection (Spring Data's
 * {@code executePipelined} would open a dedicated connection per call). On a cluster connection each command is
 * routed to the primary of its key's slot, following MOVED and ASK redirects.
 */
final class LettuceAsync {

    private LettuceAsync() {
    }

    /** The asynchronous commands of the Spring Data connection's native Lettuce connection (routed on a cluster). */
    @SuppressWarnings("unchecked")
    static RedisClusterAsyncCommands<byte[], byte[]> commands(RedisConnection connection) {
        Object nativeConnection = connection.getNativeConnection();
        if (nativeConnection instanceof RedisClusterAsyncCommands<?, ?> async) {
            return (RedisClusterAsyncCommands<byte[], byte[]>) async;
        }
        throw new IllegalStateException("the invalidator needs a Lettuce connection, got "
                + nativeConnection.getClass().getName());
    }

    /**
     * The commands of the one connection that talks to the primary of {@code key}'s slot: the node connection on a
     * cluster (it does not follow redirects, so a stale topology fails the call rather than reaching another node),
     * the shared connection otherwise. For commands that must share a connection with earlier ones, like WAIT.
     */
    @SuppressWarnings("unchecked")
    static RedisClusterAsyncCommands<byte[], byte[]> primaryConnectionOf(RedisConnection connection, String key) {
        RedisClusterAsyncCommands<byte[], byte[]> commands = commands(connection);
        if (!(commands instanceof RedisAdvancedClusterAsyncCommands<?, ?> routed)) {
            return commands;
        }
        StatefulRedisClusterConnection<byte[], byte[]> cluster =
                ((RedisAdvancedClusterAsyncCommands<byte[], byte[]>) routed).getStatefulConnection();
        int slot = SlotHash.getSlot(key);
        RedisClusterNode primary = cluster.getPartitions().getMasterBySlot(slot);
        if (primary == null) {
            throw new ClusterStateFailureException("no primary serves slot " + slot + " of " + key);
        }
        return cluster.getConnection(primary.getNodeId()).async();
    }

    static byte[] bytes(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Waits up to {@code timeout} for every reply, in order. A timeout cancels what is left and throws
     * {@link QueryTimeoutException}; a failed command throws {@link RedisSystemException} naming {@code what}.
     */
    static <T> List<T> awaitAll(List<RedisFuture<T>> replies, Duration timeout, String what) {
        List<CompletableFuture<T>> futures = replies.stream().map(reply -> reply.toCompletableFuture()).toList();
        try {
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            futures.forEach(future -> future.cancel(true));
            throw new QueryTimeoutException(what + " not answered within " + timeout.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            throw new RedisSystemException(what + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedisSystemException("interrupted while waiting for " + what, e);
        }
        return futures.stream().map(CompletableFuture::join).toList();
    }
}
