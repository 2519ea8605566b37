package io.cachebus.api.security;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns an unsafe or missing token-verification setting into a start-up message that says what to set. */
public final class JwtKeyFailureAnalyzer extends AbstractFailureAnalyzer<JwtKeyConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, JwtKeyConfigurationException cause) {
        return new FailureAnalysis(cause.getMessage(), cause.action().orElse(
                "Production: set spring.security.oauth2.resourceserver.jwt.jwk-set-uri (or issuer-uri) to your identity"
                        + " provider. Local runs: export CACHEBUS_JWT_SECRET with at least "
                        + LocalTokens.MIN_SECRET_BYTES + " bytes (e.g. `openssl rand -base64 48`), or start with"
                        + " --spring.profiles.active=local to use the documented development secret."),
                cause);
    }
}
