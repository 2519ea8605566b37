package io.cachebus.client.autoconfigure;

import jakarta.validation.constraints.PositiveOrZero;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/** The SQL facility with automatic table-tag invalidation, under {@code cachebus.sql.*}. */
@ConfigurationProperties("cachebus.sql")
@Validated
public class SqlCacheProperties {

    /** Whether the {@code SqlCache} bean is created (it also needs a DataSource, the outbox and the tiered cache). */
    private boolean enabled = true;

    /**
     * Whether cacheable reads are answered from the cache. Off, every read goes to the database and writes still
     * publish their invalidations, so other nodes' caches stay correct: turning it off changes nothing but speed.
     */
    private boolean cacheReads = true;

    /**
     * Tables whose cache scopes are not their own name, as {@code table -> scopes}: derived data to its domain
     * ({@code workflow_steps: workflows}), a view to the tables it selects from, tables changed together by cascades
     * or triggers to one shared scope. Reads of the table depend on every listed scope; writes to it invalidate every
     * one. Keys are table names, schema and quotes ignored (a key containing a dot goes in brackets:
     * {@code cachebus.sql.table-scopes[sales.orders]=orders}); values are valid cachebus names. Default: none, every
     * table is its own scope.
     */
    private Map<String, List<String>> tableScopes = new LinkedHashMap<>();

    /**
     * Tables whose reads are never cached: tables written by something that does not go through cachebus (another
     * application, a batch job, a trigger), so no invalidation would ever come for them. Default: none.
     */
    private List<String> uncachedTables = new ArrayList<>();

    /**
     * Functions, besides the built-in list of volatile ones ({@code now}, {@code random}, {@code nextval}, ...), whose
     * result changes between calls with the same arguments; a read calling one is not cached. Case-insensitive.
     * Default: none.
     */
    private List<String> volatileFunctions = new ArrayList<>();

    /** Results with more rows than this are returned but not cached, so one large query cannot fill L1 and Redis. */
    @PositiveOrZero
    private int maxCachedRows = 10_000;

    /** Longest the parser may take over one statement before it counts as unreadable (and runs uncached). */
    @PositiveDuration
    private Duration parseTimeout = Duration.ofSeconds(2);

    /**
     * Total length, in characters, of the SQL texts whose analysis is remembered, so each distinct statement is
     * parsed once; about two bytes per character of heap.
     */
    @PositiveOrZero
    private long analysisCacheCharacters = 4_000_000;

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public boolean isCacheReads() {
        return cacheReads;
    }

    public void setCacheReads(boolean cacheReads) {
        this.cacheReads = cacheReads;
    }

    public Map<String, List<String>> getTableScopes() {
        return tableScopes;
    }

    public void setTableScopes(Map<String, List<String>> tableScopes) {
        this.tableScopes = tableScopes;
    }

    public List<String> getUncachedTables() {
        return uncachedTables;
    }

    public void setUncachedTables(List<String> uncachedTables) {
        this.uncachedTables = uncachedTables;
    }

    public List<String> getVolatileFunctions() {
        return volatileFunctions;
    }

    public void setVolatileFunctions(List<String> volatileFunctions) {
        this.volatileFunctions = volatileFunctions;
    }

    public int getMaxCachedRows() {
        return maxCachedRows;
    }

    public void setMaxCachedRows(int maxCachedRows) {
        this.maxCachedRows = maxCachedRows;
    }

    public Duration getParseTimeout() {
        return parseTimeout;
    }

    public void setParseTimeout(Duration parseTimeout) {
        this.parseTimeout = parseTimeout;
    }

    public long getAnalysisCacheCharacters() {
        return analysisCacheCharacters;
    }

    public void setAnalysisCacheCharacters(long analysisCacheCharacters) {
        this.analysisCacheCharacters = analysisCacheCharacters;
    }
}
