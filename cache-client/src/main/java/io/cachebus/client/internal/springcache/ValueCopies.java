package io.cachebus.client.internal.springcache;

import io.cachebus.client.internal.tiered.ValueCodec;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;

/**
 * Copies of cached values through the JSON of L2 ({@link ValueCodec}), so that no caller holds the instance the
 * cache holds: one caller changing what it got cannot change what the next one gets. Off
 * ({@code cachebus.cache-manager.copy-on-read=false}) for applications whose cached values are immutable.
 */
record ValueCopies(ValueCodec codec, boolean enabled) {

    /** @throws IllegalStateException when the value does not round-trip through JSON as the type */
    Object copy(Object value, JavaType type) {
        if (!enabled || value == null) {
            return value;
        }
        try {
            return codec.decode(codec.encode(value), type);
        } catch (JacksonException e) {
            throw new IllegalStateException("a cached value of type " + value.getClass().getName()
                    + " cannot be copied as " + type + " through JSON: make it JSON-serializable (it is stored in "
                    + "Redis as JSON anyway) or, if cached values are immutable, set "
                    + "cachebus.cache-manager.copy-on-read=false; " + e.getOriginalMessage(), e);
        }
    }
}
