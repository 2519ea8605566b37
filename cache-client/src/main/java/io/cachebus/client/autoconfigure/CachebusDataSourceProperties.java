package io.cachebus.client.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The DataSource wrapper that invalidates the tables of every JDBC write (JdbcTemplate, JPA/Hibernate, jOOQ, plain
 * JDBC), under {@code cachebus.sql.datasource-tags.*}. Which tables map to which scopes, and the parser's settings,
 * are those of {@code cachebus.sql.*}.
 */
@ConfigurationProperties("cachebus.sql.datasource-tags")
public class CachebusDataSourceProperties {

    /**
     * Whether the application's DataSource is wrapped so that every write records the scopes of the tables it writes
     * through the outbox. Off by default: it adds an outbox row per written table to every write of the application,
     * and an application whose writes already record their mutations (the reference API) would record them twice.
     */
    private boolean enabled = false;

    /**
     * The tenant of every write, for an application with one tenant. Without it (and without a tenant resolver bean)
     * a write on the wrapped DataSource is refused before it runs. Default: none.
     */
    private String tenant;

    /**
     * Tables whose writes invalidate nothing because no cached read depends on them (schema-migration bookkeeping);
     * the outbox's own tables are never tagged. Case-insensitive, schema ignored. Default: flyway_schema_history,
     * databasechangelog, databasechangeloglock.
     */
    private List<String> ignoredTables = new ArrayList<>(
            List.of("flyway_schema_history", "databasechangelog", "databasechangeloglock"));

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getTenant() {
        return tenant;
    }

    public void setTenant(String tenant) {
        this.tenant = tenant;
    }

    public List<String> getIgnoredTables() {
        return ignoredTables;
    }

    public void setIgnoredTables(List<String> ignoredTables) {
        this.ignoredTables = ignoredTables;
    }
}
