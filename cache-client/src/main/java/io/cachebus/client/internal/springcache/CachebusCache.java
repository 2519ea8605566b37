package io.cachebus.client.internal.springcache;

import io.cachebus.client.CacheKey;
import io.cachebus.client.TenantResolver;
import io.cachebus.client.internal.tiered.DefaultTieredCache;
import io.cachebus.client.internal.tiered.DefaultTieredCache.PendingRead;
import io.cachebus.client.internal.tiered.ValueCodec;
import io.cachebus.events.Names;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.springframework.cache.Cache;
import org.springframework.cache.support.SimpleValueWrapper;
import tools.jackson.databind.JavaType;

/**
 * One Spring cache over cachebus's {@link DefaultTieredCache}: its name is the domain of every entry and of every
 * invalidation, the tenant comes from the {@link TenantResolver} at each call.
 *
 * <p>Reads go through the tiered cache's own read path (its generations, read-your-writes markers and staleness
 * gate), so they keep its guarantees. Every write ({@link #put}, {@link #evict}, {@link #clear}) invalidates the
 * tenant's whole cache, on every node, through the outbox: cachebus invalidates by domain, never by key, so evicting
 * one key costs the other keys of the tenant's cache a miss, and a put stores nothing (the next read loads the value
 * the write left in the database) because a value handed to the cache after a write cannot be shown to be newer
 * than a concurrent write of another node.
 *
 * <p>A value read from L2 must be decoded as a type, which an untyped {@link #get(Object)} does not give: the
 * {@link CachebusCacheResolver} hands {@code @Cacheable} a {@linkplain #forReadsOf view} typed by the method's
 * return type, and this cache itself refuses untyped reads.
 */
class CachebusCache implements Cache {

    final String name;
    final DefaultTieredCache tiered;
    final TenantResolver tenants;
    final CacheInvalidations invalidations;
    final ValueCodec codec;
    final ValueCopies copies;

    CachebusCache(String name, DefaultTieredCache tiered, TenantResolver tenants, CacheInvalidations invalidations,
            ValueCodec codec, ValueCopies copies) {
        this.name = Names.require("cache name (the cachebus domain)", name);
        this.tiered = tiered;
        this.tenants = tenants;
        this.invalidations = invalidations;
        this.codec = codec;
        this.copies = copies;
    }

    /** The same cache, for a view of one invocation that changes some of its operations. */
    CachebusCache(CachebusCache cache) {
        this(cache.name, cache.tiered, cache.tenants, cache.invalidations, cache.codec, cache.copies);
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public Object getNativeCache() {
        return tiered;
    }

    @Override
    public ValueWrapper get(Object key) {
        throw untyped();
    }

    @Override
    public <T> T get(Object key, Class<T> type) {
        JavaType javaType = codec.type(type);
        return type.cast(copies.copy(tiered.lookup(cacheKey(key), javaType).cached(), javaType));
    }

    @Override
    public <T> T get(Object key, Callable<T> valueLoader) {
        throw untyped();
    }

    @Override
    public void put(Object key, Object value) {
        invalidations.invalidate(tenants.currentTenant(), name, false);
    }

    @Override
    public void evict(Object key) {
        invalidations.invalidate(tenants.currentTenant(), name, false);
    }

    @Override
    public void clear() {
        invalidations.invalidate(tenants.currentTenant(), name, false);
    }

    /** This cache for one {@code @Cacheable} invocation whose values are of {@code type}. */
    Cache forReadsOf(JavaType type) {
        return new TypedReads(this, type);
    }

    /** This cache for one {@code @CacheEvict(beforeInvocation = true)} invocation. */
    Cache forEvictionBeforeTheWrite() {
        return new EvictionBeforeTheWrite(this);
    }

    final CacheKey cacheKey(Object key) {
        return cacheKeyOf(StableKeys.of(key));
    }

    final CacheKey cacheKeyOf(String stableKey) {
        return CacheKey.of(tenants.currentTenant(), name).resource(stableKey).build();
    }

    private IllegalStateException untyped() {
        return new IllegalStateException("cache '" + name + "': a cachebus cache needs the type of its values to read "
                + "them from Redis. @Cacheable methods get it from their return type through cachebus's CacheResolver, "
                + "which an application CachingConfigurer or a cacheResolver attribute replaces; programmatic reads "
                + "use get(key, Class)");
    }

    /**
     * One {@code @Cacheable} invocation: Spring looks the key up, runs the method on a miss and puts its result. The
     * lookup takes the generations the put then stores under (as one read of the tiered cache would), so a result
     * loaded before an invalidation is not stored after it. Spring makes one per invocation (through the resolver),
     * so the lookups in flight are this invocation's only.
     */
    private static final class TypedReads extends CachebusCache {

        private final JavaType type;
        private final Map<String, PendingRead> misses = new HashMap<>(2);

        TypedReads(CachebusCache cache, JavaType type) {
            super(cache);
            this.type = type;
        }

        @Override
        public ValueWrapper get(Object key) {
            String id = StableKeys.of(key);
            PendingRead read = tiered.lookup(cacheKeyOf(id), type);
            if (read.cached() != null) {
                return new SimpleValueWrapper(copies.copy(read.cached(), type));
            }
            misses.put(id, read);
            return null;
        }

        /** The method's result after a miss: stored as a copy, since the caller keeps the instance it returned. */
        @Override
        public void put(Object key, Object value) {
            PendingRead miss = misses.remove(StableKeys.of(key));
            if (miss != null) {
                miss.store(copies.copy(value, type));
            }
            // no lookup of this key in this invocation: nothing shows the value is current, so nothing is stored
        }

        @Override
        public <T> T get(Object key, Callable<T> valueLoader) {
            Object value = tiered.getUnsampled(cacheKey(key), type, () -> copies.copy(call(key, valueLoader), type));
            @SuppressWarnings("unchecked")
            T copy = (T) copies.copy(value, type);
            return copy;
        }

        private static Object call(Object key, Callable<?> valueLoader) {
            try {
                return valueLoader.call();
            } catch (Exception e) {
                throw new ValueRetrievalException(key, valueLoader, e);
            }
        }
    }

    private static final class EvictionBeforeTheWrite extends CachebusCache {

        EvictionBeforeTheWrite(CachebusCache cache) {
            super(cache);
        }

        @Override
        public void evict(Object key) {
            invalidations.invalidate(tenants.currentTenant(), name, true);
        }

        @Override
        public void clear() {
            invalidations.invalidate(tenants.currentTenant(), name, true);
        }
    }
}
