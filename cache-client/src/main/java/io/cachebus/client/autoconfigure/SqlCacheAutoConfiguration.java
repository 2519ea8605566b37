package io.cachebus.client.autoconfigure;

import io.cachebus.client.MutationPublisher;
import io.cachebus.client.TieredCache;
import io.cachebus.client.sql.SqlCache;
import io.cachebus.client.internal.sql.analysis.SqlAnalyzer;
import io.cachebus.client.internal.sql.analysis.TableScopes;
import io.cachebus.client.internal.sql.jdbc.DefaultSqlCache;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Set;
import javax.sql.DataSource;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The {@link SqlCache} bean, when the application has a DataSource and cachebus gave it the outbox
 * ({@link MutationPublisher}) and the {@link TieredCache}: adding cache-client is all it takes.
 */
@AutoConfiguration(after = {CachebusAutoConfiguration.class, CachebusOutboxAutoConfiguration.class}, afterName = {
        "org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration"})
@ConditionalOnClass({JdbcClient.class, CCJSqlParserUtil.class})
@ConditionalOnSingleCandidate(DataSource.class)
@ConditionalOnBean({MutationPublisher.class, TieredCache.class})
@ConditionalOnProperty(prefix = "cachebus.sql", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(SqlCacheProperties.class)
public class SqlCacheAutoConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public SqlAnalyzer cachebusSqlAnalyzer(SqlCacheProperties properties) {
        return new SqlAnalyzer(properties.getParseTimeout(), Set.copyOf(properties.getVolatileFunctions()),
                properties.getAnalysisCacheCharacters());
    }

    @Bean
    @ConditionalOnMissingBean(SqlCache.class)
    public DefaultSqlCache cachebusSqlCache(SqlCacheProperties properties, DataSource dataSource,
            ObjectProvider<JdbcTemplate> jdbcTemplate, TieredCache cache, MutationPublisher publisher,
            ObjectProvider<PlatformTransactionManager> transactions, SqlAnalyzer analyzer,
            ObjectProvider<MeterRegistry> meterRegistry) {
        // the application's JdbcTemplate (its fetch size, timeouts) when it has one on this DataSource
        JdbcTemplate jdbc = jdbcTemplate.getIfUnique(() -> new JdbcTemplate(dataSource));
        if (jdbc.getDataSource() != dataSource) {
            jdbc = new JdbcTemplate(dataSource);
        }
        return new DefaultSqlCache(jdbc, cache, publisher,
                transactions.getIfUnique(() -> new JdbcTransactionManager(dataSource)), analyzer,
                new TableScopes(properties.getTableScopes(), properties.getUncachedTables()),
                new DefaultSqlCache.Settings(properties.isCacheReads(), properties.getMaxCachedRows()),
                meterRegistry.getIfAvailable(SimpleMeterRegistry::new));
    }
}
