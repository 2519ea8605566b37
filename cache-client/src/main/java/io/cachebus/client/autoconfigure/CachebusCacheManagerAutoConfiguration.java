package io.cachebus.client.autoconfigure;

import io.cachebus.client.MutationPublisher;
import io.cachebus.client.TenantResolver;
import io.cachebus.client.internal.springcache.CachebusCacheManager;
import io.cachebus.client.internal.springcache.CachebusCacheResolver;
import io.cachebus.client.internal.springcache.SecurityClaimTenantResolver;
import io.cachebus.client.internal.tiered.DefaultTieredCache;
import io.cachebus.client.internal.tiered.ValueCodec;
import io.cachebus.events.Names;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.CachingConfigurer;
import org.springframework.cache.interceptor.CacheAspectSupport;
import org.springframework.cache.interceptor.CacheResolver;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Spring's cache abstraction over cachebus, for an application that enables caching ({@code @EnableCaching}) and
 * defines no {@link CacheManager}: {@code @Cacheable} reads through L1 and L2 with cachebus's guarantees, and
 * {@code @CacheEvict} and {@code @CachePut} invalidate the cache on every node through the outbox.
 */
@AutoConfiguration(after = {CachebusAutoConfiguration.class, CachebusOutboxAutoConfiguration.class,
        CachebusConsistencyAutoConfiguration.class},
        beforeName = "org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration")
@ConditionalOnClass(CacheManager.class)
@ConditionalOnBean({CacheAspectSupport.class, DefaultTieredCache.class, MutationPublisher.class})
@ConditionalOnMissingBean(CacheManager.class)
@ConditionalOnProperty(prefix = "cachebus.cache-manager", name = "enabled", havingValue = "true",
        matchIfMissing = true)
@EnableConfigurationProperties(CacheManagerProperties.class)
public class CachebusCacheManagerAutoConfiguration {

    /** The name of the cache manager bean, Spring Boot's usual one. */
    static final String CACHE_MANAGER = "cacheManager";

    /** The name of the resolver bean an application's own {@link CachingConfigurer} must return. */
    public static final String CACHE_RESOLVER = "cachebusCacheResolver";

    /**
     * Of Spring's type: an application uses it as any {@link CacheManager}, and {@link CachebusCacheManager} is an
     * implementation it never names (ADR 0012).
     */
    @Bean(CACHE_MANAGER)
    public CacheManager cacheManager(CacheManagerProperties properties, DefaultTieredCache tiered,
            ObjectProvider<TenantResolver> tenants, MutationPublisher publisher,
            ObjectProvider<PlatformTransactionManager> transactionManagers, ObjectProvider<DataSource> dataSource,
            ObjectProvider<JsonMapper> jsonMapper) {
        TenantResolver tenant = tenants.getIfAvailable(() -> {
            throw new IllegalStateException("cachebus.cache-manager.multi-tenancy is on but nothing says whose data "
                    + "a call reads: define a TenantResolver bean, add Spring Security's OAuth2 support (the tenant is "
                    + "then the claim cachebus.cache-manager.tenant-claim), or set "
                    + "cachebus.cache-manager.multi-tenancy=false");
        });
        PlatformTransactionManager transactions = transactionManagers.getIfUnique(
                () -> new DataSourceTransactionManager(dataSource.getObject()));
        // the JSON of L2: a copy is what another node would read from Redis
        ValueCodec codec = new ValueCodec(jsonMapper.getIfUnique(() -> JsonMapper.builder().build()));
        return new CachebusCacheManager(tiered, tenant, publisher, new TransactionTemplate(transactions), codec,
                properties.isCopyOnRead());
    }

    /**
     * Hands {@code @Cacheable} views typed by the method's return type: without it, no value could be read back from
     * Redis. A bean of Spring's type under this name, so that an application with a {@link CachingConfigurer} of its
     * own returns it from {@code cacheResolver()} without naming a class of cachebus's internal packages.
     */
    @Bean(CACHE_RESOLVER)
    public CacheResolver cachebusCacheResolver(@Qualifier(CACHE_MANAGER) CacheManager cacheManager) {
        // the bean above: this configuration backs off when the application has a CacheManager of its own
        return new CachebusCacheResolver((CachebusCacheManager) cacheManager);
    }

    @Bean
    @ConditionalOnMissingBean(CachingConfigurer.class)
    public CachingConfigurer cachebusCachingConfigurer(@Qualifier(CACHE_RESOLVER) CacheResolver resolver) {
        return new CachingConfigurer() {
            @Override
            public CacheResolver cacheResolver() {
                return resolver;
            }
        };
    }

    @Bean
    @ConditionalOnMissingBean(TenantResolver.class)
    @ConditionalOnProperty(prefix = "cachebus.cache-manager", name = "multi-tenancy", havingValue = "false")
    public TenantResolver cachebusFixedTenant(CacheManagerProperties properties) {
        String tenant = Names.require("cachebus.cache-manager.tenant", properties.getTenant());
        return () -> tenant;
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"org.springframework.security.core.context.SecurityContextHolder",
            "org.springframework.security.oauth2.core.ClaimAccessor"})
    @ConditionalOnProperty(prefix = "cachebus.cache-manager", name = "multi-tenancy", havingValue = "true",
            matchIfMissing = true)
    static class SecurityTenantConfiguration {

        @Bean
        @ConditionalOnMissingBean(TenantResolver.class)
        public TenantResolver cachebusSecurityClaimTenant(CacheManagerProperties properties) {
            return new SecurityClaimTenantResolver(properties.getTenantClaim());
        }
    }
}
