package io.cachebus.client.internal.tiered;

import io.cachebus.client.CacheKey;
import io.cachebus.events.CacheKeys;
import io.cachebus.events.Names;
import io.cachebus.events.Tag;
import java.util.ArrayList;
import java.util.List;

/**
 * What one invalidation drops: a tenant's domain ({@code workflows}) or one of its tags ({@code workflows:steps}).
 * Every scope has a generation, on this node (L1 and fallback) and in Redis (L2); an entry is reachable only
 * while the generations of all the scopes it depends on are the ones it was stored under.
 *
 * @param tenant the tenant
 * @param domain the domain, or the tag's domain
 * @param tag    the tag's name, or {@code null} for the domain itself
 */
public record Scope(String tenant, String domain, String tag) {

    public Scope {
        Names.require("tenant", tenant);
        Names.require("domain", domain);
        if (tag != null) {
            Names.require("tag.name", tag);
        }
    }

    public static Scope ofDomain(String tenant, String domain) {
        return new Scope(tenant, domain, null);
    }

    public static Scope ofTag(String tenant, Tag tag) {
        return new Scope(tenant, tag.domain(), tag.name());
    }

    /**
     * The scopes an entry depends on, in the contract's fixed order: its domain, its derived tag (if any), then
     * every {@code dependsOn} domain. A change of any of them makes the entry unreachable.
     */
    public static List<Scope> of(CacheKey key) {
        List<Scope> scopes = new ArrayList<>(2 + key.dependsOn().size());
        scopes.add(ofDomain(key.tenant(), key.domain()));
        if (key.derived() != null) {
            scopes.add(ofTag(key.tenant(), key.derived()));
        }
        for (String other : key.dependsOn()) {
            scopes.add(ofDomain(key.tenant(), other));
        }
        return scopes;
    }

    /** The scopes a write (or its broadcast) invalidates: its domain, then every tag it named. */
    public static List<Scope> of(String tenant, String domain, List<Tag> tags) {
        List<Scope> scopes = new ArrayList<>(1 + tags.size());
        scopes.add(ofDomain(tenant, domain));
        tags.forEach(tag -> scopes.add(ofTag(tenant, tag)));
        return scopes;
    }

    public boolean isDomain() {
        return tag == null;
    }

    /** The Redis generation counter of this scope, per the contract. */
    public String generationKey() {
        return isDomain() ? CacheKeys.generationKeyOfDomain(tenant, domain)
                : CacheKeys.generationKey(tenant, new Tag(domain, tag));
    }

    /** The key prefix every entry of this scope lives under. */
    public String prefix() {
        return isDomain() ? CacheKeys.prefix(tenant, domain) : CacheKeys.prefix(tenant, new Tag(domain, tag));
    }

    @Override
    public String toString() {
        return tenant + ":" + domain + (isDomain() ? "" : ":" + tag);
    }
}
