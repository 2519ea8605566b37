package io.cachebus.client.internal.sql.datasource;

import io.cachebus.client.internal.outbox.OutboxSchema;
import io.cachebus.client.internal.sql.analysis.SqlAnalyzer;
import io.cachebus.client.internal.sql.analysis.StatementAnalysis;
import io.cachebus.client.internal.sql.analysis.TableName;
import io.cachebus.client.internal.sql.analysis.TableScopes;
import io.cachebus.events.Operation;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which scopes a JDBC statement invalidates: the scopes of every table it writes (INSERT, UPDATE, DELETE, MERGE,
 * TRUNCATE, ... as {@link SqlAnalyzer} reads them, whose analysis of each text is remembered), or, for a text the
 * parser cannot read, the scope of every table of the database.
 */
public final class WrittenScopes {

    /** Relations whose rows a statement can change, as {@link DatabaseMetaData#getTables} names their types. */
    private static final String[] RELATION_TYPES = {
            "TABLE", "BASE TABLE", "VIEW", "MATERIALIZED VIEW", "PARTITIONED TABLE", "FOREIGN TABLE"};

    /** The databases' own catalogs: no application entry reads them through the cache. */
    private static final Set<String> CATALOG_SCHEMAS = Set.of("information_schema", "pg_catalog");

    /**
     * What a statement (or the texts of one batch) writes.
     *
     * @param scopes    the scopes of the tables it writes, when it could be read
     * @param operation the kind of write, as published
     * @param unparsed  whether some text could not be read: then it invalidates every table's scopes
     */
    record Written(Set<String> scopes, Operation operation, boolean unparsed) {
    }

    private final SqlAnalyzer analyzer;
    private final TableScopes tableScopes;
    private final Set<String> ignoredTables;

    /** @param ignoredTables tables whose writes invalidate nothing, besides the outbox's own (case-insensitive) */
    public WrittenScopes(SqlAnalyzer analyzer, TableScopes tableScopes, Collection<String> ignoredTables) {
        this.analyzer = analyzer;
        this.tableScopes = tableScopes;
        Set<String> ignored = new HashSet<>(OutboxSchema.TABLE_NAMES);
        ignoredTables.forEach(table -> ignored.add(TableName.parse(table).folded()));
        this.ignoredTables = Set.copyOf(ignored);
    }

    /** Empty when no text writes a table with scopes (a read, DDL that creates, a write to an ignored table). */
    Optional<Written> of(List<String> texts) {
        Set<String> scopes = new LinkedHashSet<>();
        Operation operation = null;
        boolean unparsed = false;
        for (String text : texts) {
            StatementAnalysis analysis = analyzer.analyze(text);
            if (analysis instanceof StatementAnalysis.Unreadable) {
                unparsed = true;
            } else if (analysis instanceof StatementAnalysis.Write write) {
                Set<String> written = scopesOf(write.tables());
                if (!written.isEmpty()) {
                    scopes.addAll(written);
                    operation = operation == null || operation == write.operation() ? write.operation()
                            : Operation.UPDATE;
                }
            }
        }
        if (!unparsed && scopes.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Written(scopes, operation == null ? Operation.UPDATE : operation, unparsed));
    }

    /**
     * The scopes of every table and view the connection's database lists, and of every configured mapping: what an
     * unreadable statement may have written. Read at each use, so tables created since are included.
     */
    Set<String> everyTableScope(Connection connection) throws SQLException {
        Set<String> scopes = new LinkedHashSet<>(tableScopes.configuredScopes());
        DatabaseMetaData metadata = connection.getMetaData();
        try (ResultSet tables = metadata.getTables(null, null, "%", RELATION_TYPES)) {
            while (tables.next()) {
                String schema = tables.getString("TABLE_SCHEM");
                if (schema != null && CATALOG_SCHEMAS.contains(schema.toLowerCase(Locale.ROOT))) {
                    continue;
                }
                scopes.addAll(scopesOf(Set.of(new TableName(tables.getString("TABLE_NAME"), false))));
            }
        }
        return scopes;
    }

    private Set<String> scopesOf(Set<TableName> tables) {
        Set<String> scopes = new LinkedHashSet<>();
        for (TableName table : tables) {
            if (!ignoredTables.contains(table.folded())) {
                scopes.addAll(tableScopes.ofTable(table));
            }
        }
        return scopes;
    }
}
