package io.cachebus.client.internal.sql.jdbc;

import io.cachebus.client.sql.SqlStatement;
import io.cachebus.client.sql.TaggedEntries;
import io.cachebus.client.sql.TenantSql;
import io.cachebus.events.InvalidNameException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

final class DefaultTenantSql implements TenantSql {

    private final DefaultSqlCache.Facility facility;
    private final String tenant;

    DefaultTenantSql(DefaultSqlCache.Facility facility, String tenant) {
        this.facility = facility;
        this.tenant = tenant;
    }

    @Override
    public String tenant() {
        return tenant;
    }

    @Override
    public SqlStatement sql(String sql) {
        Objects.requireNonNull(sql, "sql");
        if (sql.isBlank()) {
            throw new IllegalArgumentException("sql must not be blank");
        }
        return new DefaultSqlStatement(facility, tenant, sql);
    }

    @Override
    public TaggedEntries tags(String... tags) {
        return new DefaultTaggedEntries(facility.cache(), tenant, scopesOfTags(tags));
    }

    @Override
    public void flushTag(String... tags) {
        facility.invalidations().flush(tenant, scopesOfTags(tags));
    }

    @Override
    public void flushTable(String... tables) {
        Set<String> scopes = new LinkedHashSet<>();
        for (String table : requireSome("tables", tables)) {
            scopes.addAll(facility.scopes().ofTableNamed(table));
        }
        facility.invalidations().flush(tenant, List.copyOf(scopes));
    }

    private List<String> scopesOfTags(String[] tags) {
        return facility.scopes().ofTags(requireSome("tags", tags));
    }

    static List<String> requireSome(String field, String[] values) {
        if (values == null || values.length == 0) {
            throw new InvalidNameException(field, "name at least one");
        }
        return new ArrayList<>(List.of(values));
    }
}
