package io.cachebus.client.internal.tiered;

import com.github.benmanes.caffeine.cache.Cache;
import io.cachebus.client.CacheKey;
import io.cachebus.client.Tier;
import io.cachebus.client.TieredCache;
import io.cachebus.client.internal.consistency.ConsistencySampler;
import io.cachebus.client.internal.consistency.StalenessGate;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JavaType;

/**
 * The read path: L1 (Caffeine) → L2 (Redis, or the in-memory fallback while Redis is absent or failing) → loader.
 *
 * <p>How each guarantee of {@link TieredCache} is kept:
 * <ul>
 *   <li>No stale re-fill: the node's local generations of the key's scopes are taken before any lookup and are
 *       part of the L1 and fallback keys; a loaded value is stored locally only if they did not move meanwhile,
 *       and in Redis only by compare-and-set against the generation counters the read started with.</li>
 *   <li>Read-your-writes: while a write of this node awaits its broadcast, reads of its scopes skip L2.</li>
 *   <li>No stampede: misses of one key (at the same generations) share one load.</li>
 *   <li>Cache trouble never reaches the caller: every Redis failure becomes a read of the fallback.</li>
 *   <li>Bounded staleness: while the {@link StalenessGate} cannot show that this node has applied every
 *       invalidation older than the bound, reads skip both caches and go to the loader, at most
 *       {@code readThrough}'s number at once; past that they are answered as if no bound were enforced, and
 *       counted.</li>
 *   <li>Redis left stale by an outage: scopes whose invalidation is still pending in Redis skip it.</li>
 * </ul>
 */
public final class DefaultTieredCache implements TieredCache {

    private static final Logger log = LoggerFactory.getLogger(DefaultTieredCache.class);

    private final Cache<String, Object> l1;
    private final LocalInvalidation local;
    private final LocalGenerations localGenerations;
    private final FallbackStore fallback;
    private final RedisEntryStore redis;
    private final KnownRedisGenerations knownRedisGenerations;
    private final ReadYourWrites readYourWrites;
    private final ValueCodec codec;
    private final CacheInstrumentation instrumentation;
    private final StalenessGate gate;
    private final RedisPendingScopes redisPending;
    private final Bulkhead readThrough;
    private final ConsistencySampler consistency;
    private final SingleFlight singleFlight;

    /**
     * @param l1    the local cache, or {@code null} to run without L1
     * @param redis the Redis tier, or {@code null} when no Redis is configured (the fallback is L2 then)
     */
    public DefaultTieredCache(Cache<String, Object> l1, LocalInvalidation local, RedisEntryStore redis,
            KnownRedisGenerations knownRedisGenerations, ReadYourWrites readYourWrites, ValueCodec codec,
            CacheInstrumentation instrumentation) {
        this(l1, local, redis, knownRedisGenerations, readYourWrites, codec, instrumentation, ReadGuards.none());
    }

    public DefaultTieredCache(Cache<String, Object> l1, LocalInvalidation local, RedisEntryStore redis,
            KnownRedisGenerations knownRedisGenerations, ReadYourWrites readYourWrites, ValueCodec codec,
            CacheInstrumentation instrumentation, ReadGuards guards) {
        this.gate = guards.gate();
        this.redisPending = guards.redisPending();
        this.readThrough = guards.readThrough();
        this.consistency = guards.sampler();
        this.singleFlight = new SingleFlight(guards.sharedLoadMaxWait());
        this.l1 = l1;
        this.local = local;
        this.localGenerations = local.generations();
        this.fallback = local.fallback();
        this.redis = redis;
        this.knownRedisGenerations = knownRedisGenerations;
        this.readYourWrites = readYourWrites;
        this.codec = codec;
        this.instrumentation = instrumentation;
        if (redis != null) {
            redis.breaker().getEventPublisher().onStateTransition(event -> onBreakerTransition(event.getStateTransition()));
        }
    }

    @Override
    public <T> T get(CacheKey key, Class<T> type, Supplier<T> loader) {
        return get(key, codec.type(type), loader);
    }

    @Override
    public <T> T get(CacheKey key, TypeReference<T> type, Supplier<T> loader) {
        return get(key, codec.type(type), loader);
    }

    @Override
    public void evictLocal(String tenant, String domain) {
        local.evictDomain(tenant, domain);
    }

    @Override
    public void evictAllLocal() {
        local.evictAll();
    }

    /** Whether reads use Redis as L2 right now (configured and its breaker closed), else the fallback. */
    public boolean redisInUse() {
        return redis != null && redis.breaker().getState() == CircuitBreaker.State.CLOSED;
    }

    /** One entry of L1 as {@link #l1Snapshot()} reports it: the parts of the key it was stored for, and its value. */
    public record L1Entry(String tenant, String domain, String resource, Object value) {
    }

    /**
     * Every entry L1 holds now, whatever local generations it was stored under: also those no read will ask for
     * again since a scope of theirs was evicted. For tests and diagnostics only, reads never use it: the
     * no-stale-re-fill guarantee is about what gets stored, reachable or not, and only this shows it. A copy, as large
     * as L1.
     *
     * @throws IllegalStateException when this cache runs without L1 (nothing could be shown absent from it)
     */
    public List<L1Entry> l1Snapshot() {
        if (l1 == null) {
            throw new IllegalStateException("this cache runs without L1");
        }
        List<L1Entry> entries = new ArrayList<>();
        l1.asMap().forEach((localKey, value) -> {
            // a local key is the CacheKey's canonical text (tenant, domain, tag, resource, ... on lines of their own)
            // followed by the local generations, see Read
            String[] lines = localKey.split("\n", -1);
            entries.add(new L1Entry(lines[0], lines[1], lines[3], value));
        });
        return entries;
    }

    /** {@link #get(CacheKey, Class, Supplier)} for a type the caller resolved (a method's generic return type). */
    public <T> T get(CacheKey key, JavaType type, Supplier<T> loader) {
        return get(key, type, loader, true);
    }

    /**
     * {@link #get(CacheKey, JavaType, Supplier)} without sampling its hits: for a loader that must run on the caller's
     * thread only (a Spring-proxied method, which may read the request's security context), since the sampler runs the
     * loader again on a thread of its own.
     */
    public <T> T getUnsampled(CacheKey key, JavaType type, Supplier<T> loader) {
        return get(key, type, loader, false);
    }

    private <T> T get(CacheKey key, JavaType type, Supplier<T> loader, boolean sampled) {
        long started = System.nanoTime();
        Read read = startRead(key, type);
        if (!read.vouched) {
            Answer answer = singleFlight.run("through|" + read.localKey, () -> throughToLoader(read, loader));
            if (answer != null) {
                instrumentation.lookup(key, answer.tier(), started);
                return cast(answer.value());
            }
            instrumentation.boundNotEnforced(key);
        }
        Object cached = fromL1(read);
        if (cached != null) {
            instrumentation.lookup(key, Tier.L1, started);
            if (sampled && consistency.draws(Tier.L1, cached)) {
                consistency.check(key, Tier.L1, cached, loader, () -> get(key, type, loader));
            }
            return cast(cached);
        }
        Answer answer = singleFlight.run(read.localKey, () -> belowL1(read, loader));
        instrumentation.lookup(key, answer.tier(), started);
        if (sampled && consistency.draws(answer.tier(), answer.value())) {
            consistency.check(key, answer.tier(), answer.value(), loader, () -> get(key, type, loader));
        }
        return cast(answer.value());
    }

    /**
     * The read path split at the loader, for a caller that loads by itself between the lookup and the store (Spring's
     * {@code @Cacheable} without {@code sync}). The generations are taken before the lookup, as in
     * {@link #get(CacheKey, JavaType, Supplier)}, and {@link PendingRead#store} stores only under them, so a value
     * loaded before an invalidation is not stored after it. What it lacks compared to a whole read: misses of one
     * key are not shared, a read outside the staleness bound is not bounded by the read-through bulkhead (there is
     * no load to wait for), and hits are not sampled (there is no loader to compare with).
     */
    public PendingRead lookup(CacheKey key, JavaType type) {
        long started = System.nanoTime();
        Read read = startRead(key, type);
        if (!read.vouched) {
            instrumentation.readThrough(key);
            return new PendingRead(null, value -> {
                instrumentation.loaded(key);
                instrumentation.lookup(key, Tier.LOADER, started);
            });
        }
        Object cached = fromL1(read);
        if (cached != null) {
            instrumentation.lookup(key, Tier.L1, started);
            return new PendingRead(cached, null);
        }
        Probe probe = probeBelowL1(read);
        if (probe.hit() != null) {
            instrumentation.lookup(key, probe.hit().tier(), started);
            return new PendingRead(probe.hit().value(), null);
        }
        return new PendingRead(null, value -> {
            instrumentation.loaded(key);
            probe.store().accept(value);
            instrumentation.lookup(key, Tier.LOADER, started);
        });
    }

    /** What {@link #lookup} found, or how to store what the caller then loaded. */
    public static final class PendingRead {
        private final Object cached;
        private final Consumer<Object> store;

        private PendingRead(Object cached, Consumer<Object> store) {
            this.cached = cached;
            this.store = store;
        }

        /** The cached value, or {@code null} on a miss. */
        public Object cached() {
            return cached;
        }

        /**
         * Stores what the caller loaded after a miss, unless a scope of the key was invalidated since the lookup (or
         * the node was outside its staleness bound then: nothing is stored). Call it at most once.
         */
        public void store(Object loaded) {
            if (store == null) {
                throw new IllegalStateException("the lookup was a hit: there is nothing to store");
            }
            store.accept(loaded);
        }
    }

    /**
     * The gate's verdict on the read's scopes, then the read's local generations: an eviction applied between the two,
     * in the other order, would be among what the gate vouches for while the read still looks up the L1 entry that
     * eviction retired (a read held up there by a busy CPU could serve a value superseded for longer than the bound).
     */
    private Read startRead(CacheKey key, JavaType type) {
        List<Scope> scopes = Scope.of(key);
        boolean vouched = gate.allowsCachedRead(scopes);
        return new Read(key, type, scopes, vouched, localGenerations.current(scopes));
    }

    private Object fromL1(Read read) {
        if (l1 == null) {
            return null;
        }
        Object cached = l1.getIfPresent(read.localKey);
        return cached != null && read.type.getRawClass().isInstance(cached) ? cached : null;
    }

    /**
     * The loader's answer, stored nowhere: this node cannot vouch for its caches now, and a value it stores would
     * only be read once it can again. {@code null} when the read-through bulkhead stayed full.
     */
    private Answer throughToLoader(Read read, Supplier<?> loader) {
        if (readThrough != null && !readThrough.tryAcquirePermission()) {
            return null;
        }
        try {
            instrumentation.readThrough(read.key);
            return new Answer(Tier.LOADER, load(read.key, loader));
        } finally {
            if (readThrough != null) {
                readThrough.onComplete();
            }
        }
    }

    private Answer belowL1(Read read, Supplier<?> loader) {
        Probe probe = probeBelowL1(read);
        if (probe.hit() != null) {
            return probe.hit();
        }
        Object value = load(read.key, loader);
        probe.store().accept(value);
        return new Answer(Tier.LOADER, value);
    }

    /** L2's answer to a read that missed L1, or how to store the value the loader will return. */
    private Probe probeBelowL1(Read read) {
        if (readYourWrites.anyPending(read.scopes)) {
            // this node's own write is not yet invalidated in Redis: L2 may still hold the data from before it
            instrumentation.l2Skipped(read.key, CacheInstrumentation.L2Skip.READ_YOUR_WRITES);
            return Probe.miss(value -> storeLocally(read, value, null));
        }
        if (redis != null) {
            if (redisPending != null && redisPending.skipRedis(read.scopes)) {
                instrumentation.l2Skipped(read.key, CacheInstrumentation.L2Skip.REDIS_PENDING);
            } else {
                try {
                    return probeRedis(read);
                } catch (L2UnavailableException e) {
                    instrumentation.fellBack(read.key, e);
                }
            }
        }
        return probeFallback(read);
    }

    /** @throws L2UnavailableException when Redis fails before the loader ran; the fallback then takes over */
    private Probe probeRedis(Read read) {
        long[] generations = redis.generations(read.scopes);
        String storageKey = EntryKeys.storageKey(read.key, generations);
        Object cached = decode(redis.get(storageKey), read);
        if (cached != null) {
            storeLocally(read, cached, null);
            return Probe.hit(new Answer(Tier.L2_REDIS, cached));
        }
        if (log.isDebugEnabled()) {
            // with the store's line below, tells a miss whose entry was never stored from one whose entry went
            log.debug("cache l2 miss tenant={} domain={} resource={} storageKey={}", read.key.tenant(),
                    read.key.domain(), read.key.resource(), storageKey);
        }
        return Probe.miss(value -> storeThroughRedis(read, storageKey, generations, value));
    }

    private void storeThroughRedis(Read read, String storageKey, long[] generations, Object value) {
        String json = encode(value, read.key);
        if (json != null) {
            try {
                boolean stored = redis.compareAndSet(storageKey, json, read.scopes, generations);
                if (!stored) {
                    instrumentation.staleStoreRefused(read.key, Tier.L2_REDIS);
                    // a counter moved: whatever we knew about these scopes is out of date
                    read.scopes.forEach(knownRedisGenerations::forget);
                }
                if (log.isDebugEnabled()) {
                    log.debug("cache l2 store tenant={} domain={} resource={} storageKey={} stored={}",
                            read.key.tenant(), read.key.domain(), read.key.resource(), storageKey, stored);
                }
            } catch (L2UnavailableException e) {
                log.debug("cache l2 store skipped tenant={} domain={} cause={}", read.key.tenant(), read.key.domain(),
                        e.getMessage());
            }
        }
        if (value != null) {
            storeLocally(read, value, null);
        }
    }

    private Probe probeFallback(Read read) {
        // local generations in the hash: an entry stored while its scope was being evicted is unreachable anyway
        String storageKey = EntryKeys.storageKey(read.key, read.localGenerations);
        Object cached = decode(fallback.get(storageKey), read);
        if (cached != null) {
            storeLocally(read, cached, null);
            return Probe.hit(new Answer(Tier.L2_FALLBACK, cached));
        }
        return Probe.miss(value -> {
            if (value != null) {
                String json = encode(value, read.key);
                storeLocally(read, value, json == null ? null : () -> fallback.put(storageKey, json));
            }
        });
    }

    private Object load(CacheKey key, Supplier<?> loader) {
        instrumentation.loaded(key);
        return loader.get();
    }

    /** Stores in L1 (and the fallback) unless a scope of the key was evicted on this node since the read began. */
    private void storeLocally(Read read, Object value, Runnable fallbackStore) {
        if (value == null) {
            return;
        }
        if (!localGenerations.unchanged(read.scopes, read.localGenerations)) {
            if (fallbackStore != null) {
                instrumentation.staleStoreRefused(read.key, Tier.L2_FALLBACK);
            }
            if (l1 != null) {
                instrumentation.staleStoreRefused(read.key, Tier.L1);
            }
            return;
        }
        if (fallbackStore != null) {
            fallbackStore.run();
        }
        if (l1 != null) {
            l1.put(read.localKey, value);
        }
    }

    private String encode(Object value, CacheKey key) {
        if (value == null) {
            return null;
        }
        try {
            return codec.encode(value);
        } catch (JacksonException e) {
            log.warn("cache value not serializable, kept out of L2 tenant={} domain={} type={} error={}",
                    key.tenant(), key.domain(), value.getClass().getName(), e.getOriginalMessage());
            return null;
        }
    }

    /** The decoded value, or {@code null} for a miss or for JSON that no longer fits the type (a miss too). */
    private Object decode(String json, Read read) {
        if (json == null) {
            return null;
        }
        try {
            return codec.decode(json, read.type);
        } catch (JacksonException e) {
            log.warn("cache entry unreadable, treated as a miss tenant={} domain={} type={} error={}",
                    read.key.tenant(), read.key.domain(), read.type, e.getOriginalMessage());
            return null;
        }
    }

    private void onBreakerTransition(CircuitBreaker.StateTransition transition) {
        switch (transition.getToState()) {
            case OPEN, FORCED_OPEN -> log.warn("cache redis breaker open, reads use the in-memory fallback transition={}",
                    transition);
            case CLOSED -> {
                // the fallback missed no eviction but may hold entries Redis has since invalidated, and the counters
                // we knew may be gone (a restarted Redis starts empty): start over from Redis
                knownRedisGenerations.forgetAll();
                fallback.clear();
                log.info("cache redis breaker closed, redis is L2 again, fallback cleared transition={}", transition);
            }
            default -> log.info("cache redis breaker transition={}", transition);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object value) {
        return (T) value;
    }

    /**
     * One read: the key, whether the staleness gate let it use the caches, and the local generations it started with
     * (which also name its L1 entry).
     */
    private static final class Read {
        final CacheKey key;
        final JavaType type;
        final List<Scope> scopes;
        final boolean vouched;
        final long[] localGenerations;
        final String localKey;

        Read(CacheKey key, JavaType type, List<Scope> scopes, boolean vouched, long[] localGenerations) {
            this.key = key;
            this.type = type;
            this.scopes = scopes;
            this.vouched = vouched;
            this.localGenerations = localGenerations;
            StringBuilder text = new StringBuilder(key.canonical()).append('|');
            for (long generation : localGenerations) {
                text.append(generation).append(',');
            }
            this.localKey = text.toString();
        }
    }

    private record Answer(Tier tier, Object value) {
    }

    /**
     * @param hit   L2's answer, or {@code null} on a miss
     * @param store what to do with the loaded value after a miss
     */
    private record Probe(Answer hit, Consumer<Object> store) {

        static Probe hit(Answer answer) {
            return new Probe(answer, null);
        }

        static Probe miss(Consumer<Object> store) {
            return new Probe(null, store);
        }
    }
}
