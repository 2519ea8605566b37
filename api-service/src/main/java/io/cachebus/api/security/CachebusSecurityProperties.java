package io.cachebus.api.security;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How bearer tokens are verified when no JWK set is configured, which claims every token must carry, and how long
 * verified tokens are remembered.
 *
 * <p>Production sets {@code spring.security.oauth2.resourceserver.jwt.jwk-set-uri} (or {@code issuer-uri})
 * and leaves {@code jwt-secret} empty. Local runs verify HS256 tokens with a shared secret instead.
 *
 * @param jwtSecret      the HS256 secret, at least {@value LocalTokens#MIN_SECRET_BYTES} bytes of UTF-8; bound from
 *                       the environment variable {@code CACHEBUS_JWT_SECRET} by {@code application.yml}. No default:
 *                       only the {@code local} profile falls back to a documented development secret, and outside
 *                       that profile the service refuses to start with any of the secrets published in this
 *                       repository
 * @param tokens         the claims every bearer token must carry, in either verification mode
 * @param verifiedTokens the cache of tokens the decoder accepted (ADR 0009)
 */
@ConfigurationProperties("cachebus.security")
public record CachebusSecurityProperties(String jwtSecret, @DefaultValue Tokens tokens,
        @DefaultValue VerifiedTokens verifiedTokens) {

    /**
     * What a token must say about itself to be accepted. A token failing any check is answered with the same 401,
     * whichever check it failed.
     *
     * @param issuer      the {@code iss} every token must carry (e.g. your identity provider's issuer URL); bound
     *                    from {@code CACHEBUS_JWT_ISSUER} by {@code application.yml}. Required: outside the
     *                    {@code local} profile the service refuses to start without it; the {@code local} profile
     *                    defaults it to what {@code ./cachebus token} writes ({@code cachebus-local})
     * @param audience    a value the token's {@code aud} must contain (this API's name at the identity provider);
     *                    bound from {@code CACHEBUS_JWT_AUDIENCE}. Required like {@code issuer}; the {@code local}
     *                    profile defaults it to {@code cachebus-api}, which {@code ./cachebus token} writes
     * @param maxLifetime longest time from now a token's {@code exp} may lie (default 24h, plus one minute of clock
     *                    skew); a token without {@code exp}, or valid for longer, is refused, so no stolen token
     *                    stays usable for long
     * @param writeScope  the scope ({@code scope} or {@code scp} claim) a token needs for POST, PUT, PATCH and DELETE
     *                    requests (default {@code cachebus.write}); a valid token without it may only read (403 on
     *                    writes)
     */
    public record Tokens(String issuer, String audience, @DefaultValue("24h") Duration maxLifetime,
            @DefaultValue(LocalTokens.WRITE_SCOPE) String writeScope) {

        public Tokens {
            if (maxLifetime.isNegative() || maxLifetime.isZero()) {
                throw new IllegalArgumentException("cachebus.security.tokens.max-lifetime must be positive");
            }
            if (writeScope == null || writeScope.isBlank() || writeScope.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("cachebus.security.tokens.write-scope must be one scope name");
            }
        }
    }

    /**
     * Tokens the JWT decoder (the local one or the identity provider's) accepted are answered from memory until
     * they expire, so a client's token is parsed and its signature checked once, not with every request.
     *
     * @param maxSize  most tokens remembered per node (default 10000); 0 turns the cache off, so every request
     *                 verifies its token
     * @param maxBytes most bytes of token text remembered per node (default 16MB): large tokens take room in
     *                 proportion to their size, so a client sending many large tokens cannot grow the cache beyond
     *                 this
     * @param maxAge   longest time a token is accepted from memory without verifying it again (default 5m); also how
     *                 long a token whose signing key was withdrawn stays accepted
     */
    public record VerifiedTokens(@DefaultValue("10000") int maxSize, @DefaultValue("16MB") DataSize maxBytes,
            @DefaultValue("5m") Duration maxAge) {

        public VerifiedTokens {
            if (maxSize < 0) {
                throw new IllegalArgumentException("cachebus.security.verified-tokens.max-size must not be negative");
            }
            if (maxBytes.isNegative()) {
                throw new IllegalArgumentException("cachebus.security.verified-tokens.max-bytes must not be negative");
            }
            if (maxAge.isNegative() || maxAge.isZero()) {
                throw new IllegalArgumentException("cachebus.security.verified-tokens.max-age must be positive");
            }
        }

        public boolean enabled() {
            return maxSize > 0 && maxBytes.toBytes() > 0;
        }
    }
}
