package io.cachebus.client.internal.tiered;

import io.cachebus.events.CacheKeys;
import io.cachebus.events.GenerationLedger;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * L2: the shared Redis cache, laid out per the Redis contract. Every call goes through the circuit breaker;
 * any failure (error, timeout, open breaker) surfaces as {@link L2UnavailableException}, which the tiered cache
 * answers by using the in-memory fallback instead. Nothing here ever reaches the caller of the cache.
 *
 * <p>Generation counters are only ever read and compared through the scripts of {@link GenerationLedger}, so no
 * missing, evicted or restored counter maps a key onto an entry stored under an earlier generation (ADR 0010).
 *
 * <p>Works on a standalone Redis and on Redis Cluster alike: the keys of one call (an entry, the tenant's ledger and
 * the counters of its scopes, all of one tenant) carry the tenant's hash tag, so the scripts never span slots
 * (ADR 0008).
 */
public final class RedisEntryStore {

    /** See {@link GenerationLedger#READ}. */
    @SuppressWarnings("rawtypes")
    static final RedisScript<List> READ_GENERATIONS = new DefaultRedisScript<>(GenerationLedger.READ, List.class);

    /** See {@link GenerationLedger#COMPARE_AND_SET}. */
    static final RedisScript<Long> COMPARE_AND_SET =
            new DefaultRedisScript<>(GenerationLedger.COMPARE_AND_SET, Long.class);

    private final StringRedisTemplate redis;
    private final CircuitBreaker breaker;
    private final KnownRedisGenerations known;
    private final String ttlMillis;
    private final String generationTtlMillis;

    /**
     * @param ttl           the TTL of an entry
     * @param generationTtl the TTL of a generation counter, refreshed whenever this store reads or compares it; longer
     *                      than {@code ttl}, so a counter in use does not expire under the entries stored with it
     */
    public RedisEntryStore(StringRedisTemplate redis, CircuitBreaker breaker, KnownRedisGenerations known,
            Duration ttl, Duration generationTtl) {
        if (generationTtl.compareTo(ttl) <= 0) {
            throw new IllegalArgumentException("the generation TTL (" + generationTtl
                    + ") must be longer than the entry TTL (" + ttl + ")");
        }
        this.redis = redis;
        this.breaker = breaker;
        this.known = known;
        this.ttlMillis = String.valueOf(ttl.toMillis());
        this.generationTtlMillis = String.valueOf(generationTtl.toMillis());
    }

    public CircuitBreaker breaker() {
        return breaker;
    }

    /**
     * Opens the connection to Redis now, past the breaker, with a {@code PING}. The connection is otherwise opened by
     * the first read, and every read arriving meanwhile waits for it: on a busy node that wait exceeds the Redis
     * timeout, the breaker counts each of those reads as slow and opens, and the node starts out on the fallback with
     * nothing it loads reaching Redis. Returns the failure, or empty when Redis answered; reads open the connection
     * again later either way.
     */
    public Optional<RuntimeException> connect() {
        try {
            redis.execute((RedisCallback<String>) RedisConnection::ping);
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.of(e);
        }
    }

    /**
     * The Redis generation of every scope: the known ones, the others read from Redis in one script, which re-seeds a
     * counter the tenant's ledger cannot vouch for (missing, evicted, restored) rather than reading it as 0.
     */
    public long[] generations(List<Scope> scopes) {
        long[] generations = new long[scopes.size()];
        List<Integer> unknown = new ArrayList<>(0);
        for (int i = 0; i < generations.length; i++) {
            Long value = known.get(scopes.get(i));
            if (value == null) {
                unknown.add(i);
            } else {
                generations[i] = value;
            }
        }
        if (!unknown.isEmpty()) {
            long epoch = known.readEpoch();
            List<String> counterKeys = unknown.stream().map(i -> scopes.get(i).generationKey()).toList();
            List<String> keys = new ArrayList<>(1 + counterKeys.size());
            keys.add(CacheKeys.ledgerKey(scopes.get(0).tenant()));
            keys.addAll(counterKeys);
            List<?> values = call(() -> redis.execute(READ_GENERATIONS, keys, generationTtlMillis));
            if (values == null || values.size() != counterKeys.size()) {
                throw new L2UnavailableException("read of generation counters returned no answer", null);
            }
            for (int j = 0; j < unknown.size(); j++) {
                int i = unknown.get(j);
                generations[i] = parseGeneration(counterKeys.get(j), values.get(j));
                known.remember(scopes.get(i), generations[i], epoch);
            }
        }
        return generations;
    }

    /** The JSON stored under {@code key}, or {@code null}. */
    public String get(String key) {
        return call(() -> redis.opsForValue().get(key));
    }

    /**
     * Stores {@code json} under {@code key} with the L2 TTL, only if every scope's counter still equals
     * {@code expected}. Returns whether it was stored.
     */
    public boolean compareAndSet(String key, String json, List<Scope> scopes, long[] expected) {
        List<String> keys = new ArrayList<>(2 + scopes.size());
        keys.add(key);
        keys.add(CacheKeys.ledgerKey(scopes.get(0).tenant()));
        Object[] args = new Object[3 + expected.length];
        args[0] = json;
        args[1] = ttlMillis;
        args[2] = generationTtlMillis;
        for (int i = 0; i < expected.length; i++) {
            keys.add(scopes.get(i).generationKey());
            args[3 + i] = String.valueOf(expected[i]);
        }
        Long stored = call(() -> redis.execute(COMPARE_AND_SET, keys, args));
        return stored != null && stored == 1L;
    }

    private <T> T call(Supplier<T> command) {
        try {
            return breaker.executeSupplier(command);
        } catch (RuntimeException e) {
            throw new L2UnavailableException("redis call failed: " + e, e);
        }
    }

    private static long parseGeneration(String counterKey, Object value) {
        try {
            return Long.parseLong(String.valueOf(value));
        } catch (NumberFormatException e) {
            // the script only returns numbers it wrote: anything else is a broken contract, not an outage; treat it
            // like one anyway so reads still work (from the fallback) and the logs say which key is wrong
            throw new L2UnavailableException("generation counter " + counterKey + " is not an integer: " + value, e);
        }
    }
}
