package io.cachebus.invalidator.invalidation;

import io.cachebus.invalidator.coalescing.InvalidationGroup;

/**
 * Makes every Redis entry of a coalesced group unreachable: the entries under {@code tenant:{tid}:{domain}:}
 * and those of each tag. Implementations follow the Redis layout contract shared with cache-client (the
 * generation counters {@code cachebus:gen:...} are always INCRed, so a loader that raced the invalidation
 * can store nothing) and must be idempotent: a redelivered batch invalidates again, which is harmless.
 */
public interface PrefixInvalidationStrategy {

    /** The name in logs and metric tags, e.g. {@code generation}. */
    String name();

    /** Invalidates the group's scopes in Redis; throws when Redis did not confirm it. */
    InvalidationResult invalidate(InvalidationGroup group);
}
