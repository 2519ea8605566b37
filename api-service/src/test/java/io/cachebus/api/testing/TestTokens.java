package io.cachebus.api.testing;

import io.cachebus.api.security.LocalTokens;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/** The HS256 secret the test nodes verify with, and fresh tenants so tests never see each other's data. */
public final class TestTokens {

    public static final String SECRET = "test-secret-for-cachebus-api-tests-0123456789";

    /** What a test node verifies tokens with: this secret, and the issuer and audience {@link LocalTokens} writes. */
    public static final Map<String, String> PROPERTIES = Map.of(
            "cachebus.security.jwt-secret", SECRET,
            "cachebus.security.tokens.issuer", LocalTokens.ISSUER,
            "cachebus.security.tokens.audience", LocalTokens.AUDIENCE);

    private TestTokens() {
    }

    public static String forTenant(String tenant) {
        return LocalTokens.mint(SECRET, tenant, Duration.ofMinutes(30), "test-user");
    }

    public static String newTenant() {
        return "t-" + UUID.randomUUID().toString().substring(0, 13);
    }
}
