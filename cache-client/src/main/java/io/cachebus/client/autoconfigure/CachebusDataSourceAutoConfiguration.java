package io.cachebus.client.autoconfigure;

import io.cachebus.client.CachebusMeter;
import io.cachebus.client.MutationPublisher;
import io.cachebus.client.TenantResolver;
import io.cachebus.client.internal.sql.analysis.SqlAnalyzer;
import io.cachebus.client.internal.sql.analysis.TableScopes;
import io.cachebus.client.internal.sql.datasource.TableTaggingListener;
import io.cachebus.client.internal.sql.datasource.WriteTenantResolver;
import io.cachebus.client.internal.sql.datasource.WrittenScopes;
import io.cachebus.events.Names;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import javax.sql.DataSource;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.ttddyy.dsproxy.proxy.ProxyJdbcObject;
import net.ttddyy.dsproxy.support.ProxyDataSource;
import net.ttddyy.dsproxy.support.ProxyDataSourceBuilder;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.function.SingletonSupplier;

/**
 * Wraps the application's DataSource so that every write on it (JdbcTemplate, JPA/Hibernate, jOOQ, plain JDBC)
 * invalidates the tables it writes, through the outbox: on when {@code cachebus.sql.datasource-tags.enabled=true}
 * and the application has the outbox ({@link MutationPublisher}) on one DataSource.
 */
@AutoConfiguration(after = {CachebusAutoConfiguration.class, CachebusOutboxAutoConfiguration.class,
        SqlCacheAutoConfiguration.class})
@ConditionalOnClass({ProxyDataSourceBuilder.class, JdbcTemplate.class, CCJSqlParserUtil.class})
@ConditionalOnProperty(prefix = "cachebus.sql.datasource-tags", name = "enabled", havingValue = "true")
@ConditionalOnSingleCandidate(DataSource.class)
@ConditionalOnBean(MutationPublisher.class)
@EnableConfigurationProperties({CachebusDataSourceProperties.class, SqlCacheProperties.class})
public class CachebusDataSourceAutoConfiguration {

    /** Static, and every collaborator looked up at the first statement: post-processors are created first. */
    @Bean
    static TableTaggingPostProcessor cachebusTableTaggingPostProcessor(
            ObjectProvider<CachebusDataSourceProperties> properties, ObjectProvider<SqlCacheProperties> sqlProperties,
            ObjectProvider<SqlAnalyzer> analyzer, ObjectProvider<WriteTenantResolver> tenants,
            ObjectProvider<MutationPublisher> publisher, ObjectProvider<MeterRegistry> meterRegistry) {
        Supplier<MeterRegistry> registry = SingletonSupplier.of(() -> meterRegistry.getIfAvailable(SimpleMeterRegistry::new));
        Supplier<WrittenScopes> scopes = () -> {
            SqlCacheProperties sql = sqlProperties.getObject();
            SqlAnalyzer parser = analyzer.getIfAvailable(() -> new SqlAnalyzer(sql.getParseTimeout(),
                    Set.copyOf(sql.getVolatileFunctions()), sql.getAnalysisCacheCharacters()));
            FunctionCounter.builder(CachebusMeter.SQL_PARSES.meterName(), parser, SqlAnalyzer::parseCount)
                    .description(CachebusMeter.SQL_PARSES.description()).register(registry.get());
            return new WrittenScopes(parser, new TableScopes(sql.getTableScopes(), sql.getUncachedTables()),
                    properties.getObject().getIgnoredTables());
        };
        return new TableTaggingPostProcessor(new TableTaggingListener.Collaborators(scopes, tenants::getObject,
                publisher::getObject, registry));
    }

    /**
     * The fixed tenant of {@code cachebus.sql.datasource-tags.tenant} when set, else the application's
     * {@link TenantResolver} (the one {@code @Cacheable} uses), else none: then every write is refused.
     */
    @Bean
    @ConditionalOnMissingBean
    public WriteTenantResolver cachebusWriteTenantResolver(CachebusDataSourceProperties properties,
            ObjectProvider<TenantResolver> applicationTenants) {
        if (properties.getTenant() != null) {
            Optional<String> tenant = Optional.of(Names.require("cachebus.sql.datasource-tags.tenant",
                    properties.getTenant()));
            return () -> tenant;
        }
        return () -> {
            TenantResolver resolver = applicationTenants.getIfAvailable();
            if (resolver == null) {
                return Optional.empty();
            }
            try {
                return Optional.of(resolver.currentTenant());
            } catch (IllegalStateException noTenant) {
                return Optional.empty();
            }
        };
    }

    /** Wraps the one DataSource the outbox uses (the single candidate, or the primary one). */
    static final class TableTaggingPostProcessor implements BeanPostProcessor, BeanFactoryAware {

        private final TableTaggingListener.Collaborators collaborators;
        private ConfigurableListableBeanFactory beanFactory;

        TableTaggingPostProcessor(TableTaggingListener.Collaborators collaborators) {
            this.collaborators = collaborators;
        }

        @Override
        public void setBeanFactory(BeanFactory beanFactory) {
            this.beanFactory = (ConfigurableListableBeanFactory) beanFactory;
        }

        @Override
        public Object postProcessAfterInitialization(Object bean, String beanName) {
            if (bean instanceof DataSource dataSource && !(bean instanceof ProxyDataSource)
                    && !(bean instanceof ProxyJdbcObject) && isTheDataSource(beanName)) {
                return TableTaggingListener.wrap(beanName, dataSource, collaborators);
            }
            return bean;
        }

        private boolean isTheDataSource(String beanName) {
            String[] candidates = beanFactory.getBeanNamesForType(DataSource.class, true, false);
            if (candidates.length == 1) {
                return candidates[0].equals(beanName);
            }
            return beanFactory.containsBeanDefinition(beanName) && beanFactory.getBeanDefinition(beanName).isPrimary();
        }
    }
}
