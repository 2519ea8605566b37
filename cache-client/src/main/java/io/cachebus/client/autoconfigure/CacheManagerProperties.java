package io.cachebus.client.autoconfigure;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * cachebus's Spring {@code CacheManager} ({@code @Cacheable} and friends), under {@code cachebus.cache-manager.*}.
 * Validated at startup: a blank tenant or claim would otherwise fail every cached call instead of the start.
 */
@ConfigurationProperties("cachebus.cache-manager")
@Validated
public class CacheManagerProperties {

    /**
     * Whether an application that enables Spring's caching ({@code @EnableCaching}) and defines no
     * {@code CacheManager} of its own gets cachebus's.
     */
    private boolean enabled = true;

    /**
     * Whether cached values belong to tenants. On: the tenant of each call comes from the application's
     * {@code TenantResolver} bean, else from the {@code tenant-claim} of Spring Security's authentication (when Spring
     * Security's OAuth2 support is on the classpath); startup fails when neither exists. Off: every call is of the one
     * tenant {@code tenant}.
     */
    private boolean multiTenancy = true;

    /** The one tenant of every call when {@code multi-tenancy} is off. */
    @NotBlank
    private String tenant = "default";

    /** The claim of the authenticated user's token that names the tenant, when {@code multi-tenancy} is on. */
    @NotBlank
    private String tenantClaim = "tenant";

    /**
     * Whether every read returns a copy of the cached value (through the JSON that Redis stores), so that a caller
     * that changes what it got cannot change what other callers get. Turn off only when every cached value is
     * immutable: a hit from L1 then costs no JSON round trip.
     */
    private boolean copyOnRead = true;

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public boolean isMultiTenancy() {
        return multiTenancy;
    }

    public void setMultiTenancy(boolean multiTenancy) {
        this.multiTenancy = multiTenancy;
    }

    public String getTenant() {
        return tenant;
    }

    public void setTenant(String tenant) {
        this.tenant = tenant;
    }

    public String getTenantClaim() {
        return tenantClaim;
    }

    public void setTenantClaim(String tenantClaim) {
        this.tenantClaim = tenantClaim;
    }

    public boolean isCopyOnRead() {
        return copyOnRead;
    }

    public void setCopyOnRead(boolean copyOnRead) {
        this.copyOnRead = copyOnRead;
    }
}
