package io.cachebus.api.testing;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The number of rows a tenant has in every table that has a tenant column (the domain tables and the outbox
 * alike), so a test can show that a refused request wrote nothing anywhere and recorded no mutation.
 */
public final class TenantRows {

    private final JdbcClient jdbc;

    public TenantRows(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Map<String, Long> of(String tenant) {
        List<Map<String, Object>> tables = jdbc.sql("SELECT table_name, column_name FROM information_schema.columns"
                        + " WHERE LOWER(column_name) IN ('tenant_id', 'tenant') AND LOWER(table_schema) = 'public'")
                .query().listOfRows();
        if (tables.isEmpty()) {
            throw new IllegalStateException("no table with a tenant column: is the schema migrated?");
        }
        Map<String, Long> counts = new TreeMap<>();
        for (Map<String, Object> row : tables) {
            String table = String.valueOf(row.get("table_name")).toLowerCase();
            String column = String.valueOf(row.get("column_name")).toLowerCase();
            counts.put(table, jdbc.sql("SELECT COUNT(*) FROM " + table + " WHERE " + column + " = ?")
                    .param(tenant).query(Long.class).single());
        }
        return counts;
    }
}
