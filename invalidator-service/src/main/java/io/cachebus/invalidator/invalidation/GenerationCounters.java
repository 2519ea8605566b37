package io.cachebus.invalidator.invalidation;

import io.cachebus.events.CacheKeys;
import io.cachebus.events.GenerationLedger;
import io.cachebus.invalidator.coalescing.InvalidationGroup;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The generation counters of a group (its domain's and each tag's, see the Redis layout contract), bumped in
 * one round trip.
 *
 * <p>The bump is the {@link GenerationLedger#BUMP} script, sent through the shared Lettuce connection's asynchronous
 * API ({@link LettuceAsync}): it INCRs every counter the tenant's ledger vouches for and re-seeds any other (missing,
 * evicted, restored from a snapshot, inherited from another Redis run) above every value it had, so an invalidation
 * never makes a counter repeat a generation (ADR 0010). The counters of one group and the ledger belong to one tenant
 * and carry its hash tag, so on Redis Cluster they all live in one slot: the script runs on one primary.
 *
 * <p>With {@code replicaAcks > 0} the script is followed by {@code WAIT replicaAcks timeout} on the same connection,
 * and the invalidation only counts as done once that many replicas hold it. Without it, a bump a primary acknowledged
 * but had not yet sent to its replica when it died is lost in a failover, after its offset was committed (ADR 0008).
 * What it retired stays unreachable all the same: the promoted replica is another Redis run, whose ledger re-seeds
 * the counters it inherited rather than continuing them (ADR 0010).
 */
public final class GenerationCounters {

    /** The default of {@code cachebus.invalidator.generation-ttl}. */
    public static final Duration DEFAULT_TTL = Duration.ofHours(24);

    private final StringRedisTemplate redis;
    private final Duration timeout;
    private final int replicaAcks;
    private final Duration replicaAckTimeout;
    private final byte[] ttlMillis;

    /**
     * @param timeout           how long to wait for all replies; normally the Lettuce command timeout
     *                          ({@code spring.data.redis.timeout})
     * @param replicaAcks       how many replicas must have the bump before it counts (0: the primary's word)
     * @param replicaAckTimeout the WAIT timeout, below {@code timeout}
     * @param ttl               the TTL of a counter and of its tenant's ledger, refreshed by every bump
     */
    public GenerationCounters(StringRedisTemplate redis, Duration timeout, int replicaAcks, Duration replicaAckTimeout,
                              Duration ttl) {
        if (replicaAcks < 0) {
            throw new IllegalArgumentException("replicaAcks must not be negative");
        }
        this.redis = redis;
        this.timeout = timeout;
        this.replicaAcks = replicaAcks;
        this.replicaAckTimeout = replicaAckTimeout;
        this.ttlMillis = LettuceAsync.bytes(String.valueOf(ttl.toMillis()));
    }

    /** Counters acknowledged by the primary alone, with the default TTL of {@code cachebus.invalidator.generation-ttl}. */
    public GenerationCounters(StringRedisTemplate redis, Duration timeout) {
        this(redis, timeout, 0, Duration.ZERO, DEFAULT_TTL);
    }

    /** Bumps the domain counter and every tag counter of the group; returns the domain counter's new value. */
    public long increment(InvalidationGroup group) {
        List<String> keys = counterKeys(group);
        List<Long> values = redis.execute((RedisCallback<List<Long>>) connection -> bumpAll(connection, group, keys));
        if (values == null || values.size() != keys.size()) {
            throw new RedisSystemException("bump of " + keys + " returned " + values, null);
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

    @SuppressWarnings("unchecked")
    private List<Long> bumpAll(RedisConnection connection, InvalidationGroup group, List<String> counterKeys) {
        byte[][] scriptKeys = new byte[1 + counterKeys.size()][];
        scriptKeys[0] = LettuceAsync.bytes(CacheKeys.ledgerKey(group.tenant()));
        for (int i = 0; i < counterKeys.size(); i++) {
            scriptKeys[1 + i] = LettuceAsync.bytes(counterKeys.get(i));
        }
        // WAIT counts the writes of its own connection: then the script must go over the primary's node connection
        RedisClusterAsyncCommands<byte[], byte[]> commands = replicaAcks == 0
                ? LettuceAsync.commands(connection) : LettuceAsync.primaryConnectionOf(connection, counterKeys.get(0));
        List<RedisFuture<Object>> replies = new ArrayList<>(2);
        replies.add(commands.eval(GenerationLedger.BUMP, ScriptOutputType.MULTI, scriptKeys, ttlMillis));
        if (replicaAcks > 0) {
            replies.add((RedisFuture<Object>) (RedisFuture<?>) commands.waitForReplication(replicaAcks,
                    replicaAckTimeout.toMillis()));
        }
        String what = "bump of " + counterKeys;
        List<Object> answers = LettuceAsync.awaitAll(replies, timeout, what);
        if (replicaAcks > 0) {
            long acked = (Long) answers.get(1);
            if (acked < replicaAcks) {
                throw new RedisSystemException(what + " reached " + acked + " of " + replicaAcks
                        + " replicas within " + replicaAckTimeout.toMillis() + " ms", null);
            }
        }
        return ((List<Object>) answers.get(0)).stream().map(value -> (Long) value).toList();
    }
}
