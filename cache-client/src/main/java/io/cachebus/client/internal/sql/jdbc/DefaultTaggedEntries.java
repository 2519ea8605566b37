package io.cachebus.client.internal.sql.jdbc;

import io.cachebus.client.CacheKey;
import io.cachebus.client.TieredCache;
import io.cachebus.client.sql.TaggedEntries;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

final class DefaultTaggedEntries implements TaggedEntries {

    private final TieredCache cache;
    private final String tenant;
    private final List<String> scopes;

    DefaultTaggedEntries(TieredCache cache, String tenant, List<String> scopes) {
        this.cache = cache;
        this.tenant = tenant;
        this.scopes = scopes;
    }

    @Override
    public <T> T remember(String key, Class<T> type, Supplier<T> loader) {
        return cache.get(keyOf(key), type, loader);
    }

    @Override
    public void put(String key, Object value) {
        Objects.requireNonNull(value, "value");
        @SuppressWarnings("unchecked")
        Class<Object> type = (Class<Object>) value.getClass();
        // read-through with the value as the loader: stored where the key has no value at the tags' generations
        cache.get(keyOf(key), type, () -> value);
    }

    @Override
    public <T> Optional<T> get(String key, Class<T> type) {
        // a loader that finds nothing: a miss stores nothing
        return Optional.ofNullable(cache.get(keyOf(key), type, () -> null));
    }

    private CacheKey keyOf(String key) {
        Objects.requireNonNull(key, "key");
        return QueryKeys.tagged(tenant, scopes, key);
    }
}
