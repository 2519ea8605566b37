package io.cachebus.loadtest.deployment;

import io.cachebus.api.security.LocalTokens;
import io.cachebus.events.Names;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

/**
 * Mints HS256 bearer tokens with a {@code tenant} claim, signed with the shared secret the API nodes of a local
 * or test deployment verify with ({@code CACHEBUS_JWT_SECRET}), and with the issuer, audience and write scope
 * {@link LocalTokens} writes (what such nodes are configured to require). One token per tenant, reused for the run.
 */
public final class BearerTokens {

    /** The environment variable holding the shared secret, as the launcher and the services read it. */
    public static final String SECRET_ENVIRONMENT_VARIABLE = "CACHEBUS_JWT_SECRET";
    /** HS256 needs a key of at least 256 bits. */
    public static final int MIN_SECRET_BYTES = 32;

    private static final String SUBJECT = "cachebus-load-test";

    private final JwtEncoder encoder;
    private final Duration lifetime;
    private final Map<String, String> tokens = new ConcurrentHashMap<>();

    public BearerTokens(String secret, Duration lifetime) {
        byte[] key = secret.getBytes(StandardCharsets.UTF_8);
        if (key.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("the JWT secret must be at least " + MIN_SECRET_BYTES
                    + " bytes for HS256, was " + key.length);
        }
        SecretKey secretKey = new SecretKeySpec(key, "HmacSHA256");
        this.encoder = NimbusJwtEncoder.withSecretKey(secretKey).algorithm(MacAlgorithm.HS256).build();
        this.lifetime = lifetime;
    }

    public String forTenant(String tenant) {
        return tokens.computeIfAbsent(Names.require("tenant", tenant), this::mint);
    }

    private String mint(String tenant) {
        Instant now = Instant.now();
        JwtClaimsSet claims = JwtClaimsSet.builder()
                .subject(SUBJECT)
                .issuer(LocalTokens.ISSUER)
                .audience(List.of(LocalTokens.AUDIENCE))
                .claim("scope", LocalTokens.WRITE_SCOPE)
                .issuedAt(now)
                .expiresAt(now.plus(lifetime))
                .claim("tenant", tenant)
                .build();
        JwsHeader header = JwsHeader.with(MacAlgorithm.HS256).build();
        return encoder.encode(JwtEncoderParameters.from(header, claims)).getTokenValue();
    }
}
