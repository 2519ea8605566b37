package io.cachebus.api.security;

import io.cachebus.events.Names;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Accepts only tokens whose {@code tenant} claim is a valid name ({@link Names}): a token without one, or
 * with a glob, separator or whitespace in it, is invalid (401) before any request code runs, so no tenant
 * value can ever reach a cache key or a SCAN pattern unchecked.
 */
public final class TenantClaimValidator implements OAuth2TokenValidator<Jwt> {

    @Override
    public OAuth2TokenValidatorResult validate(Jwt token) {
        Object tenant = token.getClaims().get(Tenant.CLAIM);
        if (tenant instanceof String name && Names.isValid(name)) {
            return OAuth2TokenValidatorResult.success();
        }
        return OAuth2TokenValidatorResult.failure(new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN,
                tenant == null
                        ? "the token has no '" + Tenant.CLAIM + "' claim"
                        : "the token's '" + Tenant.CLAIM + "' claim must be 1-" + Names.MAX_LENGTH
                                + " ASCII letters, digits, '-' or '_'",
                null));
    }
}
