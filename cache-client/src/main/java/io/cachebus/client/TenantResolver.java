package io.cachebus.client;

/**
 * Whose data the current call reads or writes, for the Spring {@code CacheManager} of cachebus: every cached value
 * of one tenant is kept apart from every other tenant's, and an eviction drops the current tenant's entries only.
 *
 * <p>Defaults (when the application defines no bean of this type): the claim
 * {@code cachebus.cache-manager.tenant-claim} of Spring Security's current authentication when Spring Security's
 * OAuth2 support is on the classpath, or the one tenant {@code cachebus.cache-manager.tenant} when
 * {@code cachebus.cache-manager.multi-tenancy} is {@code false}.
 */
@FunctionalInterface
public interface TenantResolver {

    /**
     * The current call's tenant: ASCII letters, digits, {@code -} and {@code _}, 1 to 64 characters.
     *
     * @throws IllegalStateException when the call has no tenant (no authentication, no claim): a cached value must
     *                               never be shared by guessing whose it is
     */
    String currentTenant();
}
