package io.cachebus.client.internal.springcache;

import io.cachebus.client.MutationPublisher;
import io.cachebus.client.TenantResolver;
import io.cachebus.client.internal.tiered.DefaultTieredCache;
import io.cachebus.client.internal.tiered.ValueCodec;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Spring's {@link CacheManager} over cachebus: a cache per name, created on first use, whose name is a cachebus
 * domain (ASCII letters, digits, {@code -} and {@code _}; any other name is refused when first asked for).
 */
public final class CachebusCacheManager implements CacheManager {

    private final DefaultTieredCache tiered;
    private final TenantResolver tenants;
    private final CacheInvalidations invalidations;
    private final ValueCodec codec;
    private final ValueCopies copies;
    private final ConcurrentMap<String, CachebusCache> caches = new ConcurrentHashMap<>();

    /**
     * @param ownTransaction runs an invalidation that comes outside any transaction in a transaction of its own
     * @param copyOnRead     whether every read returns a copy of the cached value
     */
    public CachebusCacheManager(DefaultTieredCache tiered, TenantResolver tenants, MutationPublisher publisher,
            TransactionOperations ownTransaction, ValueCodec codec, boolean copyOnRead) {
        this.tiered = tiered;
        this.tenants = tenants;
        this.invalidations = new CacheInvalidations(publisher, ownTransaction);
        this.codec = codec;
        this.copies = new ValueCopies(codec, copyOnRead);
    }

    /** @throws io.cachebus.events.InvalidNameException when the name cannot be a cachebus domain */
    @Override
    public Cache getCache(String name) {
        return cache(name);
    }

    CachebusCache cache(String name) {
        return caches.computeIfAbsent(name,
                domain -> new CachebusCache(domain, tiered, tenants, invalidations, codec, copies));
    }

    @Override
    public Collection<String> getCacheNames() {
        return List.copyOf(caches.keySet());
    }

    ValueCodec codec() {
        return codec;
    }
}
