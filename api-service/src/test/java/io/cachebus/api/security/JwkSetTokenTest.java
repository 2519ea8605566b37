package io.cachebus.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.cachebus.api.testing.ApiIntegrationTest;
import io.cachebus.api.testing.ApiNode;
import io.cachebus.api.testing.TestTokens;
import io.cachebus.local.junit.LocalKafkaExtension;
import io.cachebus.local.junit.RedisServerExtension;
import io.cachebus.local.redis.RedisServer;
import io.cachebus.testfixtures.api.ApiClient;
import io.cachebus.testfixtures.api.ApiResponse;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The production setup: tokens verified against an identity provider's JWK set (served here on loopback), with
 * the tenant claim, the issuer, the audience and an expiry still required and validated; the local HS256 secret is
 * then not accepted at all.
 */
@ExtendWith({LocalKafkaExtension.class, RedisServerExtension.class})
class JwkSetTokenTest {

    private static final String ISSUER = "https://idp.test";
    private static final String AUDIENCE = "cachebus-api";

    private static RSAKey signingKey;
    private static HttpServer identityProvider;

    @BeforeAll
    static void startIdentityProvider() throws Exception {
        signingKey = new RSAKeyGenerator(2048).keyID("test-key").generate();
        byte[] jwks = new JWKSet(signingKey.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        identityProvider = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        identityProvider.createContext("/jwks", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(jwks);
            }
        });
        identityProvider.start();
    }

    @AfterAll
    static void stopIdentityProvider() {
        identityProvider.stop(0);
    }

    @Test
    void acceptsOnlyTheProvidersTokensWithAValidTenant(RedisServer redis) throws Exception {
        try (ApiNode node = ApiNode.start(Map.of(
                "spring.security.oauth2.resourceserver.jwt.jwk-set-uri",
                "http://127.0.0.1:" + identityProvider.getAddress().getPort() + "/jwks",
                "cachebus.security.jwt-secret", "",
                "cachebus.security.tokens.issuer", ISSUER,
                "cachebus.security.tokens.audience", AUDIENCE,
                "spring.datasource.url", ApiIntegrationTest.freshH2Url(),
                "spring.data.redis.port", redis.port(),
                "spring.kafka.bootstrap-servers", System.getProperty(LocalKafkaExtension.BOOTSTRAP_PROPERTY)))) {
            String tenant = TestTokens.newTenant();

            assertThat(get(node, providerToken(tenant)).json().get("unread").asLong()).isZero();
            assertThat(get(node, providerToken("acme*")).status()).isEqualTo(401);
            assertThat(get(node, providerToken(null)).status()).isEqualTo(401);
            assertThat(get(node, sign(claims(tenant).issuer("https://other-idp.test"))).status()).isEqualTo(401);
            assertThat(get(node, sign(claims(tenant).audience("another-api"))).status()).isEqualTo(401);
            assertThat(get(node, sign(claims(tenant).expirationTime(null))).status()).isEqualTo(401);
            assertThat(get(node, TestTokens.forTenant(tenant)).status()).as("a local HS256 token").isEqualTo(401);
        }
    }

    private static ApiResponse get(ApiNode node, String token) {
        return new ApiClient(node.port(), token).get("/api/notifications/unread-count");
    }

    private static String providerToken(String tenant) throws JOSEException {
        return sign(claims(tenant));
    }

    private static JWTClaimsSet.Builder claims(String tenant) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject("user-1").issuer(ISSUER).audience(AUDIENCE)
                .issueTime(new Date()).expirationTime(Date.from(Instant.now().plusSeconds(600)));
        if (tenant != null) {
            claims.claim(Tenant.CLAIM, tenant);
        }
        return claims;
    }

    private static String sign(JWTClaimsSet.Builder claims) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signingKey.getKeyID()).build(),
                claims.build());
        jwt.sign(new RSASSASigner(signingKey));
        return jwt.serialize();
    }
}
