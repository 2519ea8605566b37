package io.cachebus.client.internal.tiered;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.time.Duration;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * The in-memory stand-in for Redis: this node's L2 while no Redis is configured or while it cannot be reached.
 * Holds the same JSON under the same kind of keys ({@code tenant:{tid}:{domain}:{hash}}), bounded in size, with
 * a TTL, and supports prefix invalidation: {@link #invalidateByPrefix} removes every key under a
 * prefix, in time proportional to the keys removed (a sorted index of the keys, not a scan of all of them).
 */
public final class FallbackStore {

    private final Cache<String, String> entries;
    private final NavigableSet<String> index = new ConcurrentSkipListSet<>();

    public FallbackStore(long maxSize, Duration ttl) {
        this.entries = Caffeine.newBuilder()
                .maximumSize(maxSize)
                .expireAfterWrite(ttl)
                // runs inside the eviction, so the index never keeps a key the cache already dropped for long
                .evictionListener((String key, String value, RemovalCause cause) -> index.remove(key))
                .build();
    }

    public String get(String key) {
        return entries.getIfPresent(key);
    }

    public void put(String key, String json) {
        // index first: a concurrent invalidateByPrefix then sees the key even before the value lands
        index.add(key);
        entries.put(key, json);
    }

    /** Removes every entry whose key starts with {@code prefix}; returns how many keys were removed. */
    public int invalidateByPrefix(String prefix) {
        NavigableSet<String> under = index.subSet(prefix, true, prefix + Character.MAX_VALUE, false);
        int removed = 0;
        for (String key = under.pollFirst(); key != null; key = under.pollFirst()) {
            entries.invalidate(key);
            removed++;
        }
        return removed;
    }

    public void clear() {
        index.clear();
        entries.invalidateAll();
    }

    public long size() {
        entries.cleanUp();
        return entries.estimatedSize();
    }
}
