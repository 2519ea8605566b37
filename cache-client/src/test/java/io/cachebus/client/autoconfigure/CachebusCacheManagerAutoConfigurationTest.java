package io.cachebus.client.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cachebus.client.TenantResolver;
import io.cachebus.client.testsupport.AllCachebusAutoConfigurations;
import io.cachebus.client.internal.springcache.CachebusCacheManager;
import io.cachebus.client.internal.springcache.SecurityClaimTenantResolver;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.CachingConfigurer;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.cache.interceptor.CacheErrorHandler;
import org.springframework.cache.interceptor.CacheResolver;
import org.springframework.cache.interceptor.SimpleCacheErrorHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.ClaimAccessor;
import org.springframework.security.oauth2.core.DefaultOAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;

/** When an application gets cachebus's CacheManager, and whose tenant its calls are of. */
class CachebusCacheManagerAutoConfigurationTest {

    private final ApplicationContextRunner runner = AllCachebusAutoConfigurations.runner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                    DataSourceTransactionManagerAutoConfiguration.class))
            .withPropertyValues("cachebus.eviction.enabled=false",
                    "spring.datasource.url=jdbc:h2:mem:cache-manager-autoconfig-" + UUID.randomUUID());

    @AfterEach
    void signOut() {
        SecurityContextHolder.clearContext();
    }

    @Test
    void withoutEnableCachingThereIsNoCacheManager() {
        runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(CacheManager.class));
    }

    @Test
    void theApplicationIsHandedSpringsTypesAndCachebusApiOnlyNoInternalClass() {
        List<Method> beanMethods = new ArrayList<>();
        for (Class<?> configuration : List.of(CachebusCacheManagerAutoConfiguration.class,
                CachebusCacheManagerAutoConfiguration.SecurityTenantConfiguration.class)) {
            Arrays.stream(configuration.getDeclaredMethods()).filter(method -> method.isAnnotationPresent(Bean.class))
                    .forEach(beanMethods::add);
        }
        assertThat(beanMethods).hasSizeGreaterThanOrEqualTo(5).allSatisfy(method ->
                assertThat(method.getReturnType().getPackageName()).as(method.getName())
                        .doesNotStartWith("io.cachebus.client.internal"));
    }

    @Test
    void withSpringSecurityTheTenantIsTheConfiguredClaimOfTheAuthentication() {
        runner.withUserConfiguration(Caching.class).withPropertyValues("cachebus.cache-manager.tenant-claim=org")
                .run(context -> {
                    assertThat(context).getBean(CacheManager.class).isInstanceOf(CachebusCacheManager.class);
                    TenantResolver tenants = context.getBean(TenantResolver.class);
                    assertThat(tenants).isInstanceOf(SecurityClaimTenantResolver.class);
                    ClaimAccessor token = () -> Map.of("org", "acme", "tenant", "not-this-one");
                    SecurityContextHolder.getContext().setAuthentication(
                            new TestingAuthenticationToken(token, null, "ROLE_USER"));
                    assertThat(tenants.currentTenant()).isEqualTo("acme");
                });
    }

    @Test
    void anIntrospectedTokenNamesTheTenantInItsAttributes() {
        runner.withUserConfiguration(Caching.class).run(context -> {
            OAuth2AuthenticatedPrincipal introspected = new DefaultOAuth2AuthenticatedPrincipal("ada",
                    Map.of("tenant", "acme"), List.of());
            SecurityContextHolder.getContext().setAuthentication(
                    new TestingAuthenticationToken(introspected, null, "ROLE_USER"));
            assertThat(context.getBean(TenantResolver.class).currentTenant()).isEqualTo("acme");
        });
    }

    @Test
    void anAuthenticationWithoutTheClaimHasNoTenantRatherThanAShared() {
        runner.withUserConfiguration(Caching.class).run(context -> {
            ClaimAccessor token = () -> Map.of("sub", "ada");
            SecurityContextHolder.getContext().setAuthentication(
                    new TestingAuthenticationToken(token, null, "ROLE_USER"));
            assertThatThrownBy(context.getBean(TenantResolver.class)::currentTenant)
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("has no 'tenant' claim");
        });
    }

    @Test
    void aCallWithoutAuthenticationHasNoTenantRatherThanAShared() {
        runner.withUserConfiguration(Caching.class).run(context -> {
            TenantResolver tenants = context.getBean(TenantResolver.class);
            assertThatThrownBy(tenants::currentTenant)
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("'tenant' claim");
        });
    }

    @Test
    void withMultiTenancyOffEveryCallIsOfTheConfiguredTenant() {
        runner.withUserConfiguration(Caching.class)
                .withPropertyValues("cachebus.cache-manager.multi-tenancy=false", "cachebus.cache-manager.tenant=shop")
                .run(context -> assertThat(context.getBean(TenantResolver.class).currentTenant()).isEqualTo("shop"));
    }

    @Test
    void aFixedTenantThatCannotBeATenantFailsStartupNamingTheProperty() {
        runner.withUserConfiguration(Caching.class)
                .withPropertyValues("cachebus.cache-manager.multi-tenancy=false", "cachebus.cache-manager.tenant=a:b")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("cachebus.cache-manager.tenant"));
    }

    @Test
    void aBlankTenantClaimFailsStartupNamingTheProperty() {
        runner.withUserConfiguration(Caching.class).withPropertyValues("cachebus.cache-manager.tenant-claim= ")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("object 'cachebus.cache-manager' on field 'tenantClaim'"));
    }

    @Test
    void multiTenancyWithNeitherSpringSecurityNorAResolverFailsStartupSayingWhatToDo() {
        runner.withUserConfiguration(Caching.class)
                .withClassLoader(new FilteredClassLoader("org.springframework.security"))
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("define a TenantResolver bean")
                        .hasMessageContaining("cachebus.cache-manager.multi-tenancy=false"));
    }

    @Test
    void theApplicationsTenantResolverWins() {
        runner.withUserConfiguration(Caching.class, OwnTenants.class)
                .run(context -> assertThat(context.getBean(TenantResolver.class).currentTenant()).isEqualTo("mine"));
    }

    @Test
    void theApplicationsCacheManagerWins() {
        runner.withUserConfiguration(Caching.class, OwnCacheManager.class).run(context -> assertThat(context)
                .getBean(CacheManager.class).isInstanceOf(ConcurrentMapCacheManager.class));
    }

    /** An application with its own configurer returns cachebus's resolver by bean name, importing nothing of cachebus. */
    @Test
    void anApplicationsCachingConfigurerReturnsTheResolverBean() {
        runner.withUserConfiguration(Caching.class, OwnCachingConfigurer.class, Answers.class)
                .withPropertyValues("cachebus.cache-manager.multi-tenancy=false", "cachebus.consistency.enforce=false")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(CachingConfigurer.class)).isInstanceOf(OwnCachingConfigurer.class);
                    Answers answers = context.getBean(Answers.class);
                    assertThat(List.of(answers.answer("q"), answers.answer("q"))).as("the second call is a hit")
                            .containsExactly("q#1", "q#1");
                });
    }

    /** Without the outbox no eviction could reach another node: Spring's complaint, not a node-local manager. */
    @Test
    void withoutTheOutboxThereIsNoCachebusCacheManager() {
        runner.withUserConfiguration(Caching.class).withClassLoader(new FilteredClassLoader(KafkaTemplate.class))
                .run(context -> assertThat(context).getFailure().hasMessageContaining("register a CacheManager bean"));
    }

    /** Turned off, it leaves an application that enabled caching to Spring's own complaint about a missing manager. */
    @Test
    void itCanBeTurnedOff() {
        runner.withUserConfiguration(Caching.class).withPropertyValues("cachebus.cache-manager.enabled=false")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .hasMessageContaining("register a CacheManager bean"));
    }

    @Configuration(proxyBeanMethods = false)
    @EnableCaching
    static class Caching {
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnTenants {
        @Bean
        TenantResolver ownTenants() {
            return () -> "mine";
        }
    }

    /** An application's configurer, there for a reason of its own (its error handler). */
    @Configuration(proxyBeanMethods = false)
    static class OwnCachingConfigurer implements CachingConfigurer {

        private final CacheResolver resolver;

        OwnCachingConfigurer(@Qualifier("cachebusCacheResolver") CacheResolver resolver) {
            this.resolver = resolver;
        }

        @Override
        public CacheResolver cacheResolver() {
            return resolver;
        }

        @Override
        public CacheErrorHandler errorHandler() {
            return new SimpleCacheErrorHandler();
        }
    }

    static class Answers {

        private final AtomicInteger calls = new AtomicInteger();

        @Cacheable("answers")
        public String answer(String question) {
            return question + "#" + calls.incrementAndGet();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnCacheManager {
        @Bean
        CacheManager ownCacheManager() {
            return new ConcurrentMapCacheManager();
        }
    }
}
