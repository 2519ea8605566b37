package io.cachebus.client.internal.springcache;

import io.cachebus.client.TenantResolver;
import java.util.Map;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.ClaimAccessor;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;

/**
 * The tenant is a claim of the current Spring Security authentication: of its principal's claims (a JWT, an OIDC
 * user) or attributes (an introspected opaque token). No authentication or no such claim is an error, never a
 * shared tenant.
 */
public final class SecurityClaimTenantResolver implements TenantResolver {

    private final String claim;

    public SecurityClaimTenantResolver(String claim) {
        this.claim = claim;
    }

    @Override
    public String currentTenant() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || !authentication.isAuthenticated()) {
            throw new IllegalStateException("a cached call without an authenticated user: its tenant (the '" + claim
                    + "' claim, cachebus.cache-manager.tenant-claim) is unknown");
        }
        Object principal = authentication.getPrincipal();
        Map<String, Object> claims = principal instanceof ClaimAccessor token ? token.getClaims()
                : principal instanceof OAuth2AuthenticatedPrincipal attributes ? attributes.getAttributes()
                : Map.of();
        if (!(claims.get(claim) instanceof String tenant)) {
            throw new IllegalStateException("the authentication of " + authentication.getName() + " has no '" + claim
                    + "' claim (cachebus.cache-manager.tenant-claim): its tenant is unknown");
        }
        return tenant;
    }
}
