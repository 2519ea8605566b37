package io.cachebus.api.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.cachebus.events.Names;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Set;
import java.util.UUID;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * HS256 bearer tokens for local runs and tests, verified by the service with the same shared secret.
 * Production tokens come from an identity provider and are verified against its JWK set instead.
 */
public final class LocalTokens {

    /** HS256 needs a key of at least 256 bits. */
    public static final int MIN_SECRET_BYTES = 32;

    /**
     * The secret the {@code local} profile uses when {@code CACHEBUS_JWT_SECRET} is not set. Public on purpose:
     * anyone can mint tokens with it, so it is only ever used under that profile.
     */
    public static final String LOCAL_PROFILE_SECRET = "cachebus-local-development-secret-do-not-use-in-production";

    /**
     * Every secret this repository has ever published as a default (the {@code local} profile's, and the one the
     * compose file, the launcher and the local cluster used to fall back to). Anyone can mint tokens with these, so
     * the service refuses them outside the {@code local} profile.
     */
    public static final Set<String> WELL_KNOWN_SECRETS = Set.of(LOCAL_PROFILE_SECRET,
            "cachebus-local-development-secret-change-me-0123456789");

    /** The {@code iss} of the tokens minted here; what the {@code local} profile expects by default. */
    public static final String ISSUER = "cachebus-local";

    /** The {@code aud} of the tokens minted here; what the {@code local} profile expects by default. */
    public static final String AUDIENCE = "cachebus-api";

    /** The scope that allows writes, unless {@code cachebus.security.tokens.write-scope} names another. */
    public static final String WRITE_SCOPE = "cachebus.write";

    private LocalTokens() {
    }

    /** A token for {@code tenant} that may read and write, valid for {@code ttl} from now. */
    public static String mint(String secret, String tenant, Duration ttl, String subject) {
        return sign(secret, claims(tenant, ttl, subject).build());
    }

    /**
     * The claims {@link #mint} signs, for a caller that changes some first (a read-only token, another audience):
     * issuer {@value #ISSUER}, audience {@value #AUDIENCE}, scope {@value #WRITE_SCOPE}, the tenant, the subject, and
     * {@code iat}/{@code exp} for {@code ttl} from now.
     */
    public static JWTClaimsSet.Builder claims(String tenant, Duration ttl, String subject) {
        Names.require(Tenant.CLAIM, tenant);
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive, got " + ttl);
        }
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .subject(subject)
                .claim(Tenant.CLAIM, tenant)
                .claim("scope", WRITE_SCOPE)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)))
                .jwtID(UUID.randomUUID().toString());
    }

    /** Signs arbitrary claims; tests use it for tokens the service must refuse. */
    public static String sign(String secret, JWTClaimsSet claims) {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        try {
            jwt.sign(new MACSigner(secretKey(secret)));
        } catch (JOSEException e) {
            throw new IllegalArgumentException("cannot sign with this secret: " + e.getMessage(), e);
        }
        return jwt.serialize();
    }

    /** The HS256 key of a secret, refusing one too short to be safe. */
    public static SecretKey secretKey(String secret) {
        byte[] bytes = requireUsableSecret(secret).getBytes(StandardCharsets.UTF_8);
        return new SecretKeySpec(bytes, "HmacSHA256");
    }

    static String requireUsableSecret(String secret) {
        if (secret == null || secret.isBlank()) {
            throw new JwtKeyConfigurationException("no JWT secret is configured");
        }
        int length = secret.getBytes(StandardCharsets.UTF_8).length;
        if (length < MIN_SECRET_BYTES) {
            throw new JwtKeyConfigurationException("the JWT secret has " + length + " bytes; HS256 needs at least "
                    + MIN_SECRET_BYTES);
        }
        return secret;
    }
}
