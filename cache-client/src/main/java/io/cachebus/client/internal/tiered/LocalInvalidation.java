package io.cachebus.client.internal.tiered;

import io.cachebus.events.Tag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops this node's entries of a scope: L1 by moving the scope to a new local generation (its entries become
 * unreachable at once, whatever their number) and the in-memory fallback by prefix. Used by the cache itself,
 * by the eviction listener for every broadcast and by the outbox after this node's own commits.
 */
public final class LocalInvalidation {

    private static final Logger log = LoggerFactory.getLogger(LocalInvalidation.class);

    private final LocalGenerations generations;
    private final FallbackStore fallback;

    public LocalInvalidation(LocalGenerations generations, FallbackStore fallback) {
        this.generations = generations;
        this.fallback = fallback;
    }

    public void evict(Scope scope) {
        generations.bump(scope);
        // the collections and the entities of a domain share its prefix: their fallback entries go by generation alone
        // and expire like any other, rather than taking the rest of the domain with them
        scope.prefix().ifPresent(prefix -> {
            int removed = fallback.invalidateByPrefix(prefix);
            log.debug("local eviction prefix={} fallbackKeysRemoved={}", prefix, removed);
        });
    }

    public void evictDomain(String tenant, String domain) {
        evict(Scope.ofDomain(tenant, domain));
    }

    public void evictTag(String tenant, Tag tag) {
        evict(Scope.ofTag(tenant, tag));
    }

    public void evictAll() {
        generations.bumpAll();
        fallback.clear();
        log.info("local eviction of everything, every local generation moved");
    }

    public LocalGenerations generations() {
        return generations;
    }

    public FallbackStore fallback() {
        return fallback;
    }
}
