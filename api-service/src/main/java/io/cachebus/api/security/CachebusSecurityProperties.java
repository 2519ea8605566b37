package io.cachebus.api.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How bearer tokens are verified when no JWK set is configured.
 *
 * <p>Production sets {@code spring.security.oauth2.resourceserver.jwt.jwk-set-uri} (or {@code issuer-uri})
 * and leaves this empty. Local runs verify HS256 tokens with a shared secret instead.
 *
 * @param jwtSecret the HS256 secret, at least {@value LocalTokens#MIN_SECRET_BYTES} bytes of UTF-8; bound from
 *                  the environment variable {@code CACHEBUS_JWT_SECRET} by {@code application.yml}. No default:
 *                  only the {@code local} profile falls back to a documented development secret.
 */
@ConfigurationProperties("cachebus.security")
public record CachebusSecurityProperties(String jwtSecret) {
}
