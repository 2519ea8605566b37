package io.cachebus.client.internal.tiered;

import io.cachebus.client.CacheKey;
import io.cachebus.events.CacheKeys;
import io.cachebus.events.DomainMutated;
import io.cachebus.events.Names;
import io.cachebus.events.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one invalidation drops: a tenant's domain ({@code workflows}), one of its tags ({@code workflows:steps}), the
 * domain's collections or one entity of the domain (ADR 0017). Every scope has a generation, on this node (L1 and
 * fallback) and in Redis (L2); an entry is reachable only while the generations of all the scopes it depends on are
 * the ones it was stored under.
 *
 * @param tenant the tenant
 * @param domain the domain, or the tag's domain
 * @param kind   which of the four it is
 * @param name   the tag's name for a tag, the entity's id for an entity, else {@code null}
 */
public record Scope(String tenant, String domain, Kind kind, String name) {

    /** The kinds of scope. */
    public enum Kind {
        /** Everything of the domain: a bulk write bumps it, every entry depends on it. */
        DOMAIN,
        /** Derived data named by writes ({@code workflows:steps}); lives under the domain's prefix. */
        TAG,
        /** Every entry of the domain not keyed by one entity: lists, counts. Each single-entity write bumps it. */
        COLLECTIONS,
        /** The entries keyed by one entity: a write of that entity bumps it. */
        ENTITY
    }

    public Scope {
        Names.require("tenant", tenant);
        Names.require("domain", domain);
        Objects.requireNonNull(kind, "kind");
        switch (kind) {
            case TAG -> Names.require("tag.name", name);
            case ENTITY -> CacheKeys.requireEntityId("entity", name);
            default -> {
                if (name != null) {
                    throw new IllegalArgumentException("a " + kind + " scope has no name");
                }
            }
        }
    }

    /** A domain's scope ({@code tag} {@code null}) or one of its tags'. */
    public Scope(String tenant, String domain, String tag) {
        this(tenant, domain, tag == null ? Kind.DOMAIN : Kind.TAG, tag);
    }

    public static Scope ofDomain(String tenant, String domain) {
        return new Scope(tenant, domain, Kind.DOMAIN, null);
    }

    public static Scope ofTag(String tenant, Tag tag) {
        return new Scope(tenant, tag.domain(), Kind.TAG, tag.name());
    }

    public static Scope ofCollections(String tenant, String domain) {
        return new Scope(tenant, domain, Kind.COLLECTIONS, null);
    }

    public static Scope ofEntity(String tenant, String domain, String entityId) {
        return new Scope(tenant, domain, Kind.ENTITY, entityId);
    }

    /**
     * The scopes an entry depends on, in the contract's fixed order: its domain; its entity if it is keyed by one,
     * else the domain's collections; its derived tag (if any); then every {@code dependsOn} domain, each followed by
     * its collections (a write of any one of its entities may change what the entry shows). A change of any of them
     * makes the entry unreachable.
     */
    public static List<Scope> of(CacheKey key) {
        List<Scope> scopes = new ArrayList<>(3 + 2 * key.dependsOn().size());
        scopes.add(ofDomain(key.tenant(), key.domain()));
        scopes.add(key.entity() == null ? ofCollections(key.tenant(), key.domain())
                : ofEntity(key.tenant(), key.domain(), key.entity()));
        if (key.derived() != null) {
            scopes.add(ofTag(key.tenant(), key.derived()));
        }
        for (String other : key.dependsOn()) {
            scopes.add(ofDomain(key.tenant(), other));
            scopes.add(ofCollections(key.tenant(), other));
        }
        return scopes;
    }

    /** The scopes a write of the whole domain (or its broadcast) invalidates: its domain, then every tag it named. */
    public static List<Scope> of(String tenant, String domain, List<Tag> tags) {
        return of(tenant, domain, List.of(), tags);
    }

    /**
     * The scopes a write (or its broadcast) invalidates: without entities its domain, else the domain's collections
     * and each entity; then every tag it named.
     */
    public static List<Scope> of(String tenant, String domain, List<String> entityIds, List<Tag> tags) {
        List<Scope> scopes = new ArrayList<>(1 + entityIds.size() + tags.size());
        if (entityIds.isEmpty()) {
            scopes.add(ofDomain(tenant, domain));
        } else {
            scopes.add(ofCollections(tenant, domain));
            entityIds.forEach(id -> scopes.add(ofEntity(tenant, domain, id)));
        }
        tags.forEach(tag -> scopes.add(ofTag(tenant, tag)));
        return scopes;
    }

    /** The scopes a committed write invalidates, by the rule the invalidator applies too. */
    public static List<Scope> invalidatedBy(DomainMutated event) {
        Optional<String> entity = event.singleEntity();
        return of(event.tenant(), event.domain(), entity.map(List::of).orElse(List.of()), event.tags());
    }

    public boolean isDomain() {
        return kind == Kind.DOMAIN;
    }

    public boolean isTag() {
        return kind == Kind.TAG;
    }

    public boolean isEntity() {
        return kind == Kind.ENTITY;
    }

    /** The tag's name, or {@code null} when this is no tag. */
    public String tag() {
        return kind == Kind.TAG ? name : null;
    }

    /** The Redis generation counter of this scope, per the contract. */
    public String generationKey() {
        return switch (kind) {
            case DOMAIN -> CacheKeys.generationKeyOfDomain(tenant, domain);
            case TAG -> CacheKeys.generationKey(tenant, new Tag(domain, name));
            case COLLECTIONS -> CacheKeys.collectionsGenerationKey(tenant, domain);
            case ENTITY -> CacheKeys.entityGenerationKey(tenant, domain, name);
        };
    }

    /**
     * The key prefix every entry of this scope lives under, or empty for the collections and entities, whose entries
     * share the domain's prefix with the rest of it: those go by their generation alone.
     */
    public Optional<String> prefix() {
        return switch (kind) {
            case DOMAIN -> Optional.of(CacheKeys.prefix(tenant, domain));
            case TAG -> Optional.of(CacheKeys.prefix(tenant, new Tag(domain, name)));
            case COLLECTIONS, ENTITY -> Optional.empty();
        };
    }

    @Override
    public String toString() {
        return tenant + ":" + domain + switch (kind) {
            case DOMAIN -> "";
            case TAG -> ":" + name;
            case COLLECTIONS -> "/collections";
            case ENTITY -> "/entity/" + name;
        };
    }
}
