package io.cachebus.client;

import io.cachebus.events.CacheKeys;
import io.cachebus.events.Names;
import io.cachebus.events.Tag;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Everything that changes a cached response: the principal's tenant, the domain (and, for derived data, the
 * tag it lives under), the resource path and the normalized query parameters. Two requests with equal keys
 * get the same cached value; anything that could make their responses differ must be in the key.
 *
 * <p>{@code dependsOn} names further domains whose mutations must also invalidate this entry (a read that
 * spans domains, like a JOIN): the entry is dropped when ANY of them changes.
 *
 * <p>{@code entity} says the entry shows one entity of its domain and nothing else of it (an item, its own derived
 * data): a write of another single entity leaves it alone. Any other entry is a <em>collection</em> of its domain
 * (a list, a count, a page) and is dropped by every write of the domain. A bulk write drops both (ADR 0017).
 */
public final class CacheKey {

    private final String tenant;
    private final String domain;
    private final Tag derived;
    private final String entity;
    private final String resource;
    private final SortedMap<String, List<String>> parameters;
    private final Set<String> dependsOn;

    private CacheKey(Builder builder) {
        this.tenant = Names.require("tenant", builder.tenant);
        this.domain = Names.require("domain", builder.domain);
        this.derived = builder.derived;
        if (derived != null && !derived.domain().equals(domain)) {
            throw new IllegalArgumentException("derived tag " + derived + " must belong to domain " + domain);
        }
        this.entity = builder.entity;
        this.resource = Objects.requireNonNull(builder.resource, "resource");
        SortedMap<String, List<String>> params = new TreeMap<>();
        builder.parameters.forEach((name, values) -> {
            List<String> sorted = new ArrayList<>(values);
            Collections.sort(sorted);
            params.put(name, List.copyOf(sorted));
        });
        this.parameters = Collections.unmodifiableSortedMap(params);
        this.dependsOn = Collections.unmodifiableSet(new LinkedHashSet<>(builder.dependsOn));
    }

    public static Builder of(String tenant, String domain) {
        return new Builder(tenant, domain);
    }

    public String tenant() {
        return tenant;
    }

    public String domain() {
        return domain;
    }

    /** The derived-data tag this entry lives under ({@code workflows:steps}), or {@code null} for plain domain data. */
    public Tag derived() {
        return derived;
    }

    /** The one entity this entry shows, or {@code null} for a collection of the domain. */
    public String entity() {
        return entity;
    }

    public String resource() {
        return resource;
    }

    /** Query parameters, sorted by name, each name's values sorted: {@code ?b=2&a=1} and {@code ?a=1&b=2} are one key. */
    public SortedMap<String, List<String>> parameters() {
        return parameters;
    }

    /** Further domains whose mutations also invalidate this entry, in the order given. */
    public Set<String> dependsOn() {
        return dependsOn;
    }

    /** A canonical text of every part, the input of the key's hash. */
    public String canonical() {
        // the entity on the line of the derived tag, whose names have no '#', and neither has a line break: no resource
        // text can pose as an entity; an entry without an entity keeps the text it always had
        StringBuilder text = new StringBuilder(tenant).append('\n').append(domain).append('\n')
                .append(derived == null ? "" : derived.toString()).append(entity == null ? "" : "#" + entity)
                .append('\n').append(resource).append('\n');
        parameters.forEach((name, values) -> values.forEach(v -> text.append(name).append('=').append(v).append('&')));
        text.append('\n');
        dependsOn.forEach(d -> text.append(d).append(','));
        return text.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CacheKey other && canonical().equals(other.canonical());
    }

    @Override
    public int hashCode() {
        return canonical().hashCode();
    }

    @Override
    public String toString() {
        return "CacheKey[" + tenant + ":" + domain + (derived == null ? "" : " derived=" + derived)
                + (entity == null ? "" : " entity=" + entity) + " " + resource + parameters + (dependsOn.isEmpty() ? "" : " dependsOn=" + dependsOn) + "]";
    }

    public static final class Builder {
        private final String tenant;
        private final String domain;
        private Tag derived;
        private String entity;
        private String resource = "";
        private final Map<String, List<String>> parameters = new TreeMap<>();
        private final Set<String> dependsOn = new LinkedHashSet<>();

        private Builder(String tenant, String domain) {
            this.tenant = tenant;
            this.domain = domain;
        }

        /** Marks the entry as derived data of its domain, e.g. {@code derived("steps")} for {@code workflows:steps}. */
        public Builder derived(String name) {
            this.derived = new Tag(domain, name);
            return this;
        }

        /**
         * Marks the entry as showing only the entity {@code id} of its domain (ADR 0017): it is then dropped by writes
         * of that entity and by bulk writes, not by writes of other single entities. Only for entries that nothing
         * else of the domain changes: a list or a count, even of one entity's children, stays a collection unless
         * every write that changes it names that entity.
         */
        public Builder entity(String id) {
            this.entity = CacheKeys.requireEntityId("entity", id);
            return this;
        }

        public Builder resource(String resource) {
            this.resource = Objects.requireNonNull(resource, "resource");
            return this;
        }

        public Builder param(String name, Object value) {
            if (value != null) {
                parameters.computeIfAbsent(name, n -> new ArrayList<>()).add(String.valueOf(value));
            }
            return this;
        }

        public Builder params(Map<String, ? extends List<String>> all) {
            all.forEach((name, values) -> values.forEach(v -> param(name, v)));
            return this;
        }

        public Builder dependsOn(String otherDomain) {
            dependsOn.add(Names.require("dependsOn", otherDomain));
            return this;
        }

        public CacheKey build() {
            return new CacheKey(this);
        }
    }
}
