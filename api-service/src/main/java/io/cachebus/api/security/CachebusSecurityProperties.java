package io.cachebus.api.security;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How bearer tokens are verified when no JWK set is configured, and how long verified tokens are remembered.
 *
 * <p>Production sets {@code spring.security.oauth2.resourceserver.jwt.jwk-set-uri} (or {@code issuer-uri})
 * and leaves {@code jwt-secret} empty. Local runs verify HS256 tokens with a shared secret instead.
 *
 * @param jwtSecret      the HS256 secret, at least {@value LocalTokens#MIN_SECRET_BYTES} bytes of UTF-8; bound from
 *                       the environment variable {@code CACHEBUS_JWT_SECRET} by {@code application.yml}. No default:
 *                       only the {@code local} profile falls back to a documented development secret.
 * @param verifiedTokens the cache of tokens the decoder accepted (ADR 0009)
 */
@ConfigurationProperties("cachebus.security")
public record CachebusSecurityProperties(String jwtSecret, @DefaultValue VerifiedTokens verifiedTokens) {

    /**
     * Tokens the JWT decoder (the local one or the identity provider's) accepted are answered from memory until
     * they expire, so a client's token is parsed and its signature checked once, not with every request.
     *
     * @param maxSize most tokens remembered per node (default 10000); 0 turns the cache off, so every request
     *                verifies its token
     * @param maxAge  longest time a token is accepted from memory without verifying it again (default 5m); also how
     *                long a token whose signing key was withdrawn stays accepted
     */
    public record VerifiedTokens(@DefaultValue("10000") int maxSize, @DefaultValue("5m") Duration maxAge) {

        public VerifiedTokens {
            if (maxSize < 0) {
                throw new IllegalArgumentException("cachebus.security.verified-tokens.max-size must not be negative");
            }
            if (maxAge.isNegative() || maxAge.isZero()) {
                throw new IllegalArgumentException("cachebus.security.verified-tokens.max-age must be positive");
            }
        }

        public boolean enabled() {
            return maxSize > 0;
        }
    }
}
