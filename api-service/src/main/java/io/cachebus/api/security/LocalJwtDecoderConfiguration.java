package io.cachebus.api.security;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * Verifies HS256 tokens with a shared secret when no identity provider is configured. When
 * {@code spring.security.oauth2.resourceserver.jwt.jwk-set-uri}, {@code issuer-uri} or
 * {@code public-key-location} is set, this configuration stays out of the way and Spring Boot's decoder is used,
 * with the {@link TenantClaimValidator} and {@link TokenClaimsValidator} beans added to its validators (Spring Boot
 * adds every {@code OAuth2TokenValidator<Jwt>} bean; so does this configuration).
 *
 * <p>Outside the {@code local} profile a secret this repository published ({@link LocalTokens#WELL_KNOWN_SECRETS})
 * is refused at start-up: with it anyone could mint a token for any tenant.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(LocalJwtDecoderConfiguration.NoIdentityProviderConfigured.class)
class LocalJwtDecoderConfiguration {

    static final String LOCAL_PROFILE = "local";

    private static final Logger log = LoggerFactory.getLogger(LocalJwtDecoderConfiguration.class);

    @Bean
    JwtDecoder jwtDecoder(CachebusSecurityProperties properties, Environment environment,
            ObjectProvider<OAuth2TokenValidator<Jwt>> validators) {
        String secret = properties.jwtSecret();
        boolean localProfile = environment.matchesProfiles(LOCAL_PROFILE);
        if ((secret == null || secret.isBlank()) && localProfile) {
            log.warn("jwt verification mode=hs256 secretSource=local-profile-default"
                    + " (anyone can mint tokens for this node; never run the local profile in production)");
            secret = LocalTokens.LOCAL_PROFILE_SECRET;
        } else if (secret == null || secret.isBlank()) {
            throw new JwtKeyConfigurationException("Bearer tokens cannot be verified: neither"
                    + " spring.security.oauth2.resourceserver.jwt.jwk-set-uri nor cachebus.security.jwt-secret"
                    + " (environment variable CACHEBUS_JWT_SECRET) is set.");
        } else if (LocalTokens.WELL_KNOWN_SECRETS.contains(secret) && !localProfile) {
            throw new JwtKeyConfigurationException("Bearer tokens cannot be trusted: cachebus.security.jwt-secret"
                    + " (environment variable CACHEBUS_JWT_SECRET) is a development secret published in the cachebus"
                    + " repository, so anyone could mint a token for any tenant.",
                    "Set CACHEBUS_JWT_SECRET to a secret of your own (e.g. `openssl rand -base64 48`) and mint tokens"
                            + " with it, or start with --spring.profiles.active=local for a development node.");
        } else {
            log.info("jwt verification mode=hs256 secretSource=configuration");
        }
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withSecretKey(LocalTokens.secretKey(secret))
                .macAlgorithm(MacAlgorithm.HS256)
                .build();
        List<OAuth2TokenValidator<Jwt>> all = new ArrayList<>();
        all.add(JwtValidators.createDefault());
        validators.orderedStream().forEach(all::add);
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(all));
        return decoder;
    }

    static final class NoIdentityProviderConfigured implements Condition {

        private static final String PREFIX = "spring.security.oauth2.resourceserver.jwt.";

        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            Environment environment = context.getEnvironment();
            return Stream.of("jwk-set-uri", "issuer-uri", "public-key-location")
                    .map(name -> environment.getProperty(PREFIX + name))
                    .allMatch(value -> value == null || value.isBlank());
        }
    }
}
