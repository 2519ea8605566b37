package io.cachebus.api.security;

/** Neither a JWK set nor a usable HS256 secret is configured: the service must not start. */
public final class JwtKeyConfigurationException extends RuntimeException {

    public JwtKeyConfigurationException(String message) {
        super(message);
    }
}
