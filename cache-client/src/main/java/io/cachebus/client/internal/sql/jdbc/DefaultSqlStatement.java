package io.cachebus.client.internal.sql.jdbc;

import io.cachebus.client.CacheKey;
import io.cachebus.client.sql.Rows;
import io.cachebus.client.sql.SqlStatement;
import io.cachebus.client.internal.sql.analysis.StatementAnalysis;
import io.cachebus.client.internal.sql.analysis.TableName;
import io.cachebus.client.internal.sql.datasource.UntaggedStatements;
import io.cachebus.events.Operation;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.util.ClassUtils;

/** One statement: how it runs is decided by what its text does to the tables (see {@link SqlStatement}). */
final class DefaultSqlStatement implements SqlStatement {

    private static final Logger log = LoggerFactory.getLogger(DefaultSqlStatement.class);

    private final DefaultSqlCache.Facility facility;
    private final String tenant;
    private final String sql;
    private final List<Object> positional = new ArrayList<>();
    private final Map<String, Object> named = new LinkedHashMap<>();
    private final List<String> tags = new ArrayList<>();

    DefaultSqlStatement(DefaultSqlCache.Facility facility, String tenant, String sql) {
        this.facility = facility;
        this.tenant = tenant;
        this.sql = sql;
    }

    @Override
    public SqlStatement param(Object value) {
        positional.add(value);
        return this;
    }

    @Override
    public SqlStatement param(String name, Object value) {
        named.put(Objects.requireNonNull(name, "name"), value);
        return this;
    }

    @Override
    public SqlStatement params(Object... values) {
        positional.addAll(Arrays.asList(values));
        return this;
    }

    @Override
    public SqlStatement params(List<?> values) {
        positional.addAll(values);
        return this;
    }

    @Override
    public SqlStatement params(Map<String, ?> values) {
        named.putAll(values);
        return this;
    }

    @Override
    public SqlStatement tags(String... tags) {
        // resolved now, so a bad tag fails here with a typed error rather than after the statement ran
        facility.scopes().ofTags(DefaultTenantSql.requireSome("tags", tags));
        this.tags.addAll(List.of(tags));
        return this;
    }

    @Override
    public <T> Rows<T> query(Class<T> type) {
        Objects.requireNonNull(type, "type");
        return new MappedRows<>(this, new RowMapping<>(type, null));
    }

    @Override
    public <T> Rows<T> query(RowMapper<T> mapper, Class<T> type) {
        Objects.requireNonNull(mapper, "mapper");
        Objects.requireNonNull(type, "type");
        return new MappedRows<>(this, new RowMapping<>(type, mapper));
    }

    @Override
    public int update() {
        return update(JdbcClient.StatementSpec::update);
    }

    @Override
    public int update(KeyHolder generatedKeys) {
        Objects.requireNonNull(generatedKeys, "generatedKeys");
        return update(spec -> spec.update(generatedKeys));
    }

    private int update(ToIntFunction<JdbcClient.StatementSpec> execution) {
        StatementAnalysis analysis = facility.analyzer().analyze(sql);
        Set<String> scopes = new LinkedHashSet<>(tagScopes());
        Operation operation = Operation.UPDATE;
        if (analysis instanceof StatementAnalysis.Write write) {
            scopes.addAll(scopesOf(write.tables()));
            operation = write.operation();
        }
        boolean writes = analysis instanceof StatementAnalysis.Write || !scopes.isEmpty();
        if (writes) {
            facility.invalidations().requireWriteTransaction("a write through cachebus SqlCache");
        }
        int count = UntaggedStatements.run(() -> execution.applyAsInt(spec()));
        if (writes) {
            recordWrite(scopes, operation);
        } else {
            facility.metrics().statement(kindOf(analysis));
        }
        return count;
    }

    /** Runs the statement as a query: through the cache if it is a cacheable read. */
    <T> List<T> rows(RowMapping<T> mapping) {
        StatementAnalysis analysis = facility.analyzer().analyze(sql);
        if (analysis instanceof StatementAnalysis.Write write) {
            // INSERT ... RETURNING, or a query with a data-modifying CTE
            Set<String> scopes = new LinkedHashSet<>(tagScopes());
            scopes.addAll(scopesOf(write.tables()));
            facility.invalidations().requireWriteTransaction("a write through cachebus SqlCache");
            List<T> rows = run(mapping);
            recordWrite(scopes, write.operation());
            return unmodifiable(rows);
        }
        Optional<CacheKey> key = cacheKey(analysis, mapping);
        if (key.isEmpty()) {
            facility.metrics().statement(kindOf(analysis));
            return unmodifiable(run(mapping));
        }
        facility.metrics().statement(SqlMetrics.Kind.CACHED_READ);
        return cached(key.get(), mapping);
    }

    private <T> List<T> cached(CacheKey key, RowMapping<T> mapping) {
        List<List<T>> oversized = new ArrayList<>(1);
        T[] cached = facility.cache().get(key, mapping.arrayType(), () -> {
            List<T> rows = run(mapping);
            if (rows.size() > facility.settings().maxCachedRows()) {
                oversized.add(rows);
                return null; // a null load is returned to this read and stored nowhere
            }
            return rows.toArray(mapping.newArray(rows.size()));
        });
        if (cached != null) {
            return Collections.unmodifiableList(Arrays.asList(cached));
        }
        if (!oversized.isEmpty()) {
            log.debug("sql result not cached, too many rows tenant={} domain={} rows={} maxCachedRows={}", tenant,
                    key.domain(), oversized.get(0).size(), facility.settings().maxCachedRows());
            return unmodifiable(oversized.get(0));
        }
        // another read of the same key loaded it and found it too large to cache; its rows are not ours to return
        return unmodifiable(run(mapping));
    }

    /** The entry's key when this read may be cached: empty, and a debug line saying why, when it may not. */
    private Optional<CacheKey> cacheKey(StatementAnalysis analysis, RowMapping<?> mapping) {
        if (!(analysis instanceof StatementAnalysis.Read read)) {
            return Optional.empty();
        }
        String uncachedBecause = read.uncacheableBecause().orElse(null);
        if (uncachedBecause == null && !facility.settings().cacheReads()) {
            uncachedBecause = "caching of reads is off";
        }
        if (uncachedBecause == null && facility.invalidations().inReadWriteTransaction()) {
            uncachedBecause = "inside a read-write transaction";
        }
        Set<String> scopes = new LinkedHashSet<>();
        for (TableName table : read.tables()) {
            if (uncachedBecause != null) {
                break;
            }
            List<String> tableScopes = facility.scopes().ofTable(table);
            if (facility.scopes().isUncached(table)) {
                uncachedBecause = "table " + table.folded() + " is configured uncached";
            } else if (tableScopes.isEmpty()) {
                uncachedBecause = "table " + table + " has no valid scope name";
            }
            scopes.addAll(tableScopes);
        }
        if (uncachedBecause == null) {
            scopes.addAll(tagScopes());
            Optional<CacheKey> key = QueryKeys.query(tenant, scopes, sql, positional, named, mapping.id());
            if (key.isPresent()) {
                return key;
            }
            uncachedBecause = "an argument has no value-based text";
        }
        log.debug("sql read uncached tenant={} reason={}", tenant, uncachedBecause);
        return Optional.empty();
    }

    private void recordWrite(Set<String> scopes, Operation operation) {
        facility.metrics().statement(SqlMetrics.Kind.WRITE);
        if (!scopes.isEmpty()) {
            facility.invalidations().recordWrite(tenant, List.copyOf(scopes), operation);
        }
    }

    /** The scopes of tables a statement writes; a table without a scope has no entries to invalidate. */
    private Set<String> scopesOf(Set<TableName> tables) {
        Set<String> scopes = new LinkedHashSet<>();
        tables.forEach(table -> scopes.addAll(facility.scopes().ofTable(table)));
        return scopes;
    }

    private List<String> tagScopes() {
        return tags.isEmpty() ? List.of() : facility.scopes().ofTags(tags);
    }

    /** Runs the query; the table-tagging DataSource leaves it alone, since this facility records its own writes. */
    private <T> List<T> run(RowMapping<T> mapping) {
        JdbcClient.StatementSpec spec = spec();
        return UntaggedStatements.run(() -> mapping.mapper() == null ? spec.query(mapping.type()).list()
                : spec.query(mapping.mapper()).list());
    }

    private JdbcClient.StatementSpec spec() {
        JdbcClient.StatementSpec spec = facility.jdbc().sql(sql);
        if (!positional.isEmpty()) {
            spec = spec.params(positional);
        }
        if (!named.isEmpty()) {
            spec = spec.params(named);
        }
        return spec;
    }

    private static SqlMetrics.Kind kindOf(StatementAnalysis analysis) {
        if (analysis instanceof StatementAnalysis.Read) {
            return SqlMetrics.Kind.UNCACHED_READ;
        }
        if (analysis instanceof StatementAnalysis.Unreadable) {
            return SqlMetrics.Kind.UNREADABLE;
        }
        return SqlMetrics.Kind.OTHER;
    }

    private static <T> List<T> unmodifiable(List<T> rows) {
        return Collections.unmodifiableList(rows);
    }

    /** How rows become values: a type, mapped like {@code JdbcClient.query(Class)}, or a mapper into it. */
    record RowMapping<T>(Class<T> type, RowMapper<T> mapper) {

        String id() {
            return mapper == null ? type.getName() : type.getName() + " by " + mapper.getClass().getName();
        }

        @SuppressWarnings("unchecked")
        Class<T[]> arrayType() {
            return (Class<T[]>) newArray(0).getClass();
        }

        @SuppressWarnings("unchecked")
        T[] newArray(int length) {
            // int.class maps to Integer values: the array holds what the mapper returns
            return (T[]) Array.newInstance(ClassUtils.resolvePrimitiveIfNecessary(type), length);
        }
    }
}
