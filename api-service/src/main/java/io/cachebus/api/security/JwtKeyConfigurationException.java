package io.cachebus.api.security;

import java.util.Optional;

/**
 * Bearer tokens cannot be verified safely with this configuration (no key, a published development secret, no
 * issuer or audience to check): the service must not start.
 */
public final class JwtKeyConfigurationException extends RuntimeException {

    private final String action;

    public JwtKeyConfigurationException(String message) {
        this(message, null);
    }

    /** With what to do about it, when that is not the usual "configure a key". */
    public JwtKeyConfigurationException(String message, String action) {
        super(message);
        this.action = action;
    }

    Optional<String> action() {
        return Optional.ofNullable(action);
    }
}
