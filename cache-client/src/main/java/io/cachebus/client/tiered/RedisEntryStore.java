package io.cachebus.client.tiered;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * L2: the shared Redis cache, laid out per the Redis contract. Every call goes through the circuit breaker;
 * any failure (error, timeout, open breaker) surfaces as {@link L2UnavailableException}, which the tiered cache
 * answers by using the in-memory fallback instead. Nothing here ever reaches the caller of the cache.
 *
 * <p>Works on a standalone Redis and on Redis Cluster alike: the keys of one call (an entry and the counters of its
 * scopes, all of one tenant) carry the tenant's hash tag, so the MGET and the compare-and-set script never span
 * slots (ADR 0008).
 */
public final class RedisEntryStore {

    /**
     * Stores the entry only if every generation counter still has the value the loader saw before it read the
     * database (a missing counter is generation 0). A load that raced an invalidation stores nothing.
     * KEYS[1] = entry, KEYS[2..n] = generation counters; ARGV[1] = JSON, ARGV[2] = TTL in ms,
     * ARGV[3..] = expected generations, in the order of the counters.
     */
    static final RedisScript<Long> COMPARE_AND_SET = new DefaultRedisScript<>("""
            for i = 2, #KEYS do
              local current = redis.call('GET', KEYS[i]) or '0'
              if current ~= ARGV[i + 1] then
                return 0
              end
            end
            redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
            return 1
            """, Long.class);

    private final StringRedisTemplate redis;
    private final CircuitBreaker breaker;
    private final KnownRedisGenerations known;
    private final String ttlMillis;

    public RedisEntryStore(StringRedisTemplate redis, CircuitBreaker breaker, KnownRedisGenerations known,
            Duration ttl) {
        this.redis = redis;
        this.breaker = breaker;
        this.known = known;
        this.ttlMillis = String.valueOf(ttl.toMillis());
    }

    public CircuitBreaker breaker() {
        return breaker;
    }

    /** The Redis generation of every scope: the known ones, the others read from Redis in one MGET. */
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
            List<String> values = call(() -> redis.opsForValue().multiGet(counterKeys));
            if (values == null || values.size() != counterKeys.size()) {
                throw new L2UnavailableException("MGET of generation counters returned no answer", null);
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
        List<String> keys = new ArrayList<>(1 + scopes.size());
        keys.add(key);
        Object[] args = new Object[2 + expected.length];
        args[0] = json;
        args[1] = ttlMillis;
        for (int i = 0; i < expected.length; i++) {
            keys.add(scopes.get(i).generationKey());
            args[2 + i] = String.valueOf(expected[i]);
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

    private static long parseGeneration(String counterKey, String value) {
        if (value == null) {
            return 0;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            // a counter that is not a number is a broken contract, not an outage; treat it like one anyway so reads
            // still work (from the fallback) and the logs say which key is wrong
            throw new L2UnavailableException("generation counter " + counterKey + " is not an integer: " + value, e);
        }
    }
}
