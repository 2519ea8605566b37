package io.cachebus.loadtest.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cachebus.api.security.JwtKeyConfigurationException;
import io.cachebus.api.security.LocalTokens;
import io.cachebus.events.InvalidNameException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

class BearerTokensTest {

    private static final String SECRET = "a-test-secret-that-is-long-enough-for-hs256-0123456789";

    private static NimbusJwtDecoder decoder(String secret) {
        return NimbusJwtDecoder.withSecretKey(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"))
                .macAlgorithm(MacAlgorithm.HS256).build();
    }

    @Test
    void mintsTheApiServicesOwnTokensOncePerTenant() {
        BearerTokens tokens = new BearerTokens(SECRET, Duration.ofHours(1));

        Jwt jwt = decoder(SECRET).decode(tokens.forTenant("tenant-7"));
        assertThat(jwt.getClaimAsString("iss")).isEqualTo(LocalTokens.ISSUER);

        assertThat(jwt.getClaimAsString("tenant")).isEqualTo("tenant-7");
        assertThat(jwt.getHeaders()).containsEntry("alg", "HS256");
        assertThat(jwt.getExpiresAt()).isAfter(jwt.getIssuedAt());
        assertThat(tokens.forTenant("tenant-7")).isEqualTo(tokens.forTenant("tenant-7"));
        assertThat(tokens.forTenant("tenant-8")).isNotEqualTo(tokens.forTenant("tenant-7"));
    }

    @Test
    void aTokenDoesNotVerifyWithAnotherSecret() {
        String token = new BearerTokens(SECRET, Duration.ofHours(1)).forTenant("tenant-7");
        assertThatThrownBy(() -> decoder(SECRET + "-other").decode(token)).isInstanceOf(JwtException.class);
    }

    @Test
    void refusesShortSecretsAndInvalidTenants() {
        assertThatThrownBy(() -> new BearerTokens("too-short", Duration.ofHours(1)))
                .isInstanceOf(JwtKeyConfigurationException.class).hasMessageContaining("at least 32");
        BearerTokens tokens = new BearerTokens(SECRET, Duration.ofHours(1));
        assertThatThrownBy(() -> tokens.forTenant("tenant*")).isInstanceOf(InvalidNameException.class);
    }
}
