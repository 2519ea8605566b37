package io.cachebus.client;

import java.util.function.Supplier;
import tools.jackson.core.type.TypeReference;

/**
 * A read-through cache of two tiers, L1 (Caffeine, per node) over L2 (Redis, shared; an in-memory fallback
 * while Redis is unavailable), over the loader.
 *
 * <p>Guarantees, whatever Redis or Kafka do:
 * <ul>
 *   <li>never throws because of the cache: a Redis error, timeout or open breaker means the read goes to the
 *       next tier or the loader; only the loader's own exceptions reach the caller, unchanged, and nothing is
 *       cached for them;</li>
 *   <li>concurrent misses of one key on one node run the loader once;</li>
 *   <li>a value loaded before an invalidation of its domain (or of a domain it depends on) is returned to its
 *       caller but never stored where a read after the invalidation could find it (no stale re-fill);</li>
 *   <li>after {@link MutationPublisher#recordMutation} committed, reads of that tenant and domain on this node
 *       return data at least as new as the write (read-your-writes), without waiting for Kafka.</li>
 * </ul>
 * Values must round-trip through JSON to an equal value (records of strings, numbers, lists), since L2
 * stores them as JSON; a cached response is then identical to an uncached one.
 */
public interface TieredCache {

    <T> T get(CacheKey key, Class<T> type, Supplier<T> loader);

    <T> T get(CacheKey key, TypeReference<T> type, Supplier<T> loader);

    /**
     * Drops this node's entries (L1 and the in-memory fallback) of a tenant's domain, on this node only; safe to
     * call any time, idempotent. Not the eviction path: broadcasts and this node's own commits go through
     * {@code LocalInvalidation} ({@code EvictionBroadcastHandler}, the outbox's after-commit hook), which also handle
     * tags and read-your-writes. This is for an application or a test that wants a domain re-read here.
     */
    void evictLocal(String tenant, String domain);

    /** Drops every entry this node holds locally: after a reconnect, when evictions may have been missed. */
    void evictAllLocal();
}
