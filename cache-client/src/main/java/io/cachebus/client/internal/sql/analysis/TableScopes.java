package io.cachebus.client.internal.sql.analysis;

import io.cachebus.events.InvalidNameException;
import io.cachebus.events.Names;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one place a table, or a tag, becomes cachebus scopes: the domains whose generation counters an entry reading
 * the table depends on, and which a write to the table publishes in {@code DomainMutated}.
 *
 * <ul>
 *   <li>A table's scope is its name: the last name part (schema, database dropped), unquoted, lower-cased, so
 *       {@code Orders}, {@code public.orders} and {@code "orders"} are all the scope {@code orders}. It has to be a
 *       valid {@link Names name}; a table whose name is not (and that is not configured) has no scope: reads of it
 *       run uncached, and writes to it have nothing to invalidate.</li>
 *   <li>{@code cachebus.sql.table-scopes} maps a table to other scopes instead: derived data to its domain
 *       ({@code workflow_steps -> workflows}), a view to the tables it selects from, tables that change together
 *       (cascades, triggers) to one shared scope. Reads depend on all of a table's scopes; writes invalidate all.</li>
 *   <li>A tag {@code table:{name}} means the scopes of that table; any other tag is a scope name itself. Scopes,
 *       domains and tags share one namespace, so the tag {@code workflows} is the reference API's domain.</li>
 * </ul>
 */
public final class TableScopes {

    public static final String TABLE_TAG_PREFIX = "table:";

    private final Map<String, List<String>> configured;
    private final Set<String> uncached;

    /**
     * @param tableScopes    table name (qualified or not, quoted or not) to the scopes it stands for
     * @param uncachedTables tables whose reads are never cached (written by something that publishes no events)
     * @throws InvalidNameException when a configured scope is not a valid name or a table maps to none
     */
    public TableScopes(Map<String, List<String>> tableScopes, Collection<String> uncachedTables) {
        Map<String, List<String>> byTable = new HashMap<>();
        tableScopes.forEach((table, scopes) -> {
            String field = "cachebus.sql.table-scopes[" + table + "]";
            if (scopes == null || scopes.isEmpty()) {
                throw new InvalidNameException(field, "must name at least one scope");
            }
            List<String> valid = scopes.stream().map(scope -> Names.require(field, scope)).distinct().toList();
            byTable.put(foldedName(field, table), valid);
        });
        this.configured = Map.copyOf(byTable);
        Set<String> never = new HashSet<>();
        uncachedTables.forEach(table -> never.add(foldedName("cachebus.sql.uncached-tables", table)));
        this.uncached = Set.copyOf(never);
    }

    public static TableScopes defaults() {
        return new TableScopes(Map.of(), List.of());
    }

    /** The scopes of a table a statement names; empty when it has none. */
    public List<String> ofTable(TableName table) {
        String folded = table.folded();
        List<String> explicit = configured.get(folded);
        if (explicit != null) {
            return explicit;
        }
        return Names.isValid(folded) ? List.of(folded) : List.of();
    }

    /** Every scope {@code cachebus.sql.table-scopes} maps some table to. */
    public Set<String> configuredScopes() {
        Set<String> scopes = new LinkedHashSet<>();
        configured.values().forEach(scopes::addAll);
        return scopes;
    }

    /** Whether reads of this table are configured never to be cached. */
    public boolean isUncached(TableName table) {
        return uncached.contains(table.folded());
    }

    /**
     * The scopes of a table given by name ({@code orders}, {@code sales.orders}, {@code "Orders"}).
     *
     * @throws InvalidNameException when the name cannot be read or the table has no scope
     */
    public List<String> ofTableNamed(String table) {
        TableName name = parse("table", table);
        List<String> scopes = ofTable(name);
        if (scopes.isEmpty()) {
            throw new InvalidNameException("table", "'" + name.folded() + "' is not a valid scope name (only ASCII "
                    + "letters, digits, '-' and '_'); map it with cachebus.sql.table-scopes");
        }
        return scopes;
    }

    /**
     * The scopes of a tag: {@code table:{name}} is the table's scopes, anything else must itself be a valid scope.
     *
     * @throws InvalidNameException when the tag is neither
     */
    public List<String> ofTag(String tag) {
        if (tag != null && tag.startsWith(TABLE_TAG_PREFIX)) {
            return ofTableNamed(tag.substring(TABLE_TAG_PREFIX.length()));
        }
        return List.of(Names.require("tag", tag));
    }

    /** The scopes of several tags, each once, in order. */
    public List<String> ofTags(Collection<String> tags) {
        Set<String> scopes = new LinkedHashSet<>();
        tags.forEach(tag -> scopes.addAll(ofTag(tag)));
        return new ArrayList<>(scopes);
    }

    private static String foldedName(String field, String table) {
        return parse(field, table).folded();
    }

    private static TableName parse(String field, String table) {
        try {
            return TableName.parse(table);
        } catch (IllegalArgumentException e) {
            throw new InvalidNameException(field, e.getMessage());
        }
    }
}
