package io.cachebus.loadtest.deployment;

import io.cachebus.api.security.LocalTokens;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bearer tokens of one run: one per tenant, minted by the API service's own {@link LocalTokens} with the
 * shared secret the API nodes of a local or test deployment verify with, and reused for the run.
 */
public final class BearerTokens {

    /** The environment variable holding the shared secret, as the services read it. */
    public static final String SECRET_ENVIRONMENT_VARIABLE = "CACHEBUS_JWT_SECRET";

    private static final String SUBJECT = "cachebus-load-test";

    private final String secret;
    private final Duration lifetime;
    private final Map<String, String> tokens = new ConcurrentHashMap<>();

    /** Refuses a secret {@link LocalTokens} would not sign with, before the run starts rather than at its first request. */
    public BearerTokens(String secret, Duration lifetime) {
        LocalTokens.secretKey(secret);
        this.secret = secret;
        this.lifetime = lifetime;
    }

    public String forTenant(String tenant) {
        return tokens.computeIfAbsent(tenant, t -> LocalTokens.mint(secret, t, lifetime, SUBJECT));
    }
}
