package io.cachebus.client.internal.sql.jdbc;

import io.cachebus.client.MutationPublisher;
import io.cachebus.client.TieredCache;
import io.cachebus.client.sql.SqlCache;
import io.cachebus.client.sql.TenantSql;
import io.cachebus.client.internal.sql.analysis.SqlAnalyzer;
import io.cachebus.client.internal.sql.analysis.TableScopes;
import io.cachebus.events.Names;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

/** {@link SqlCache} over Spring's {@link JdbcClient}, the {@link TieredCache} and the {@link MutationPublisher}. */
public final class DefaultSqlCache implements SqlCache {

    /**
     * @param cacheReads    whether cacheable reads use the cache at all; off, every read goes to the database and
     *                      writes still publish their invalidations (so other nodes' caches stay right)
     * @param maxCachedRows results with more rows are returned but not cached
     */
    public record Settings(boolean cacheReads, int maxCachedRows) {

        public Settings {
            if (maxCachedRows < 0) {
                throw new IllegalArgumentException("maxCachedRows must not be negative");
            }
        }
    }

    private final Facility facility;

    public DefaultSqlCache(JdbcTemplate jdbc, TieredCache cache, MutationPublisher publisher,
            PlatformTransactionManager transactions, SqlAnalyzer analyzer, TableScopes scopes, Settings settings,
            MeterRegistry registry) {
        SqlMetrics metrics = new SqlMetrics(registry);
        this.facility = new Facility(JdbcClient.create(jdbc), cache, analyzer, scopes,
                new Invalidations(jdbc, publisher, transactions, metrics), settings, metrics);
    }

    @Override
    public TenantSql tenant(String tenant) {
        return new DefaultTenantSql(facility, Names.require("tenant", tenant));
    }

    /** What every statement of every tenant shares. */
    record Facility(JdbcClient jdbc, TieredCache cache, SqlAnalyzer analyzer, TableScopes scopes,
            Invalidations invalidations, Settings settings, SqlMetrics metrics) {
    }
}
