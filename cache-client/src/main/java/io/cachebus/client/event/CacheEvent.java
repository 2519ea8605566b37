package io.cachebus.client.event;

import io.cachebus.client.CacheKey;
import io.cachebus.client.Tier;
import java.time.Duration;

/** What the tiered cache did; delivered to every {@link CacheEventListener} bean, synchronously. */
public sealed interface CacheEvent {

    CacheKey key();

    /** A read was answered; {@code tier} says from where. */
    record Lookup(CacheKey key, Tier tier, Duration took) implements CacheEvent {
    }

    /** A loaded value was not stored because its domain was invalidated while it loaded (stale re-fill refused). */
    record StaleStoreRefused(CacheKey key, Tier tier) implements CacheEvent {
    }
}
