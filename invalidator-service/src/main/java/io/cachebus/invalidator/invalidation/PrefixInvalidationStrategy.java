package io.cachebus.invalidator.invalidation;

import io.cachebus.invalidator.coalescing.InvalidationGroup;
import java.util.List;

/**
 * Makes every Redis entry of coalesced groups unreachable: the entries under {@code tenant:{tid}:{domain}:}
 * and those of each tag. Implementations follow the Redis layout contract shared with cache-client (the
 * generation counters {@code cachebus:gen:...} are always INCRed, so a loader that raced the invalidation
 * can store nothing) and must be idempotent: a redelivered batch invalidates again, which is harmless.
 */
public interface PrefixInvalidationStrategy {

    /** The name in logs and metric tags, e.g. {@code generation}. */
    String name();

    /**
     * Invalidates the groups' scopes in Redis, in as few round trips as the strategy can; returns one result per
     * group, in their order. Throws when Redis did not confirm all of them (some may be done: harmless).
     */
    List<InvalidationResult> invalidate(List<InvalidationGroup> groups);

    /** How many groups one call should be given: the batch's time budget is checked between calls. */
    int groupsPerCall();

    /** Invalidates one group. */
    default InvalidationResult invalidate(InvalidationGroup group) {
        return invalidate(List.of(group)).get(0);
    }
}
