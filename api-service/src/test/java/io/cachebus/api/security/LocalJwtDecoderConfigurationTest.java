package io.cachebus.api.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.JWTClaimsSet;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/** Which key verifies bearer tokens, and that the service refuses to start without one. */
class LocalJwtDecoderConfigurationTest {

    private static final String SECRET = "a-secret-of-more-than-thirty-two-bytes-0123";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(SecurityProperties.class, LocalJwtDecoderConfiguration.class);

    @Test
    void refusesToStartWithoutAnyKeyAndSaysWhatToSet() {
        runner.run(context -> {
            assertThat(context).hasFailed();
            Throwable failure = context.getStartupFailure();
            JwtKeyConfigurationException cause = rootCause(failure, JwtKeyConfigurationException.class);
            FailureAnalysis analysis = new JwtKeyFailureAnalyzer().analyze(failure);
            assertThat(analysis.getDescription()).contains("jwk-set-uri", "CACHEBUS_JWT_SECRET");
            assertThat(analysis.getAction()).contains("jwk-set-uri", "CACHEBUS_JWT_SECRET", "local");
            assertThat(cause).isNotNull();
        });
    }

    @Test
    void refusesASecretTooShortForHs256() {
        runner.withPropertyValues("cachebus.security.jwt-secret=short").run(context -> {
            assertThat(context).hasFailed();
            assertThat(rootCause(context.getStartupFailure(), JwtKeyConfigurationException.class))
                    .hasMessageContaining("at least 32");
        });
    }

    @Test
    void verifiesTokensSignedWithTheConfiguredSecretAndRequiresAValidTenant() {
        runner.withPropertyValues("cachebus.security.jwt-secret=" + SECRET).run(context -> {
            JwtDecoder decoder = context.getBean(JwtDecoder.class);

            assertThat(decoder.decode(LocalTokens.mint(SECRET, "acme", Duration.ofMinutes(5), "me"))
                    .getClaimAsString(Tenant.CLAIM)).isEqualTo("acme");
            assertThatThrownBy(() -> decoder.decode(LocalTokens.mint(SECRET + "x", "acme", Duration.ofMinutes(5), "me")))
                    .isInstanceOf(BadJwtException.class);
            assertThatThrownBy(() -> decoder.decode(LocalTokens.sign(SECRET, new JWTClaimsSet.Builder().subject("me")
                    .claim(Tenant.CLAIM, "ac?me").build())))
                    .isInstanceOf(JwtValidationException.class).hasMessageContaining("tenant");
        });
    }

    @Test
    void theLocalProfileFallsBackToTheDocumentedDevelopmentSecret() {
        runner.withPropertyValues("spring.profiles.active=local").run(context -> {
            String token = LocalTokens.mint(LocalTokens.LOCAL_PROFILE_SECRET, "acme", Duration.ofMinutes(5), "me");
            assertThat(context.getBean(JwtDecoder.class).decode(token).getClaimAsString(Tenant.CLAIM)).isEqualTo("acme");
        });
    }

    @Test
    void stepsAsideWhenAnIdentityProviderIsConfigured() {
        runner.withPropertyValues("spring.security.oauth2.resourceserver.jwt.jwk-set-uri=https://idp.example/jwks")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(JwtDecoder.class));
    }

    @Test
    void acceptedTokensAreRememberedUnlessTheCacheIsOff() {
        ApplicationContextRunner withCache = runner.withUserConfiguration(VerifiedTokenCacheConfiguration.class)
                .withPropertyValues("cachebus.security.jwt-secret=" + SECRET);
        withCache.run(context -> {
            JwtDecoder decoder = context.getBean(JwtDecoder.class);
            assertThat(decoder).isInstanceOf(VerifiedTokenCache.class);
            String token = LocalTokens.mint(SECRET, "acme", Duration.ofMinutes(5), "me");
            assertThat(decoder.decode(token)).isSameAs(decoder.decode(token));
            assertThatThrownBy(() -> decoder.decode(LocalTokens.mint(SECRET + "x", "acme", Duration.ofMinutes(5), "me")))
                    .isInstanceOf(BadJwtException.class);
        });
        withCache.withPropertyValues("cachebus.security.verified-tokens.max-size=0").run(context ->
                assertThat(context.getBean(JwtDecoder.class)).isInstanceOf(NimbusJwtDecoder.class));
    }

    private static <T extends Throwable> T rootCause(Throwable failure, Class<T> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in " + failure);
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(CachebusSecurityProperties.class)
    static class SecurityProperties {

        @Bean
        TenantClaimValidator tenantClaimValidator() {
            return new TenantClaimValidator();
        }
    }
}
