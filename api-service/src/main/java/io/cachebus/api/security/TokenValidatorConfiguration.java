package io.cachebus.api.security;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The checks every bearer token must pass besides its signature and timestamps, as {@code OAuth2TokenValidator<Jwt>}
 * beans: added to the validators of whichever JWT decoder is in use (the local HS256 one or Spring Boot's JWK one).
 */
@Configuration(proxyBeanMethods = false)
class TokenValidatorConfiguration {

    @Bean
    TenantClaimValidator tenantClaimValidator() {
        return new TenantClaimValidator();
    }

    /** Built at start-up, so a node without an issuer or audience to check refuses to start. */
    @Bean
    TokenClaimsValidator tokenClaimsValidator(CachebusSecurityProperties properties, Environment environment) {
        return TokenClaimsValidator.forSettings(properties.tokens(),
                environment.matchesProfiles(LocalJwtDecoderConfiguration.LOCAL_PROFILE));
    }
}
