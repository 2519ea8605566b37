package io.cachebus.api.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.JWTClaimsSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/** Which key verifies bearer tokens, and that the service refuses to start without one. */
class LocalJwtDecoderConfigurationTest {

    private static final String SECRET = "a-secret-of-more-than-thirty-two-bytes-0123";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(SecurityProperties.class, TokenValidatorConfiguration.class,
                    LocalJwtDecoderConfiguration.class)
            .withPropertyValues("cachebus.security.tokens.issuer=" + LocalTokens.ISSUER,
                    "cachebus.security.tokens.audience=" + LocalTokens.AUDIENCE);

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
    void refusesTheDevelopmentSecretsPublishedInTheRepositoryOutsideTheLocalProfile() {
        for (String published : LocalTokens.WELL_KNOWN_SECRETS) {
            runner.withPropertyValues("cachebus.security.jwt-secret=" + published).run(context -> {
                assertThat(context).hasFailed();
                Throwable failure = context.getStartupFailure();
                assertThat(rootCause(failure, JwtKeyConfigurationException.class))
                        .hasMessageContaining("published in the cachebus repository");
                assertThat(new JwtKeyFailureAnalyzer().analyze(failure).getAction())
                        .contains("CACHEBUS_JWT_SECRET", "openssl rand");
            });
            runner.withPropertyValues("cachebus.security.jwt-secret=" + published, "spring.profiles.active=local")
                    .run(context -> assertThat(context).hasNotFailed().hasSingleBean(JwtDecoder.class));
        }
    }

    @Test
    void refusesToStartWithoutAnIssuerAndAnAudienceOutsideTheLocalProfile() {
        ApplicationContextRunner unchecked = new ApplicationContextRunner()
                .withUserConfiguration(SecurityProperties.class, TokenValidatorConfiguration.class,
                        LocalJwtDecoderConfiguration.class)
                .withPropertyValues("cachebus.security.jwt-secret=" + SECRET);
        unchecked.withPropertyValues("cachebus.security.tokens.issuer=" + LocalTokens.ISSUER).run(context -> {
            assertThat(context).hasFailed();
            Throwable failure = context.getStartupFailure();
            assertThat(rootCause(failure, JwtKeyConfigurationException.class))
                    .hasMessageContaining("CACHEBUS_JWT_AUDIENCE").hasMessageEndingWith("missing: audience");
            assertThat(new JwtKeyFailureAnalyzer().analyze(failure).getAction())
                    .contains("CACHEBUS_JWT_ISSUER", "CACHEBUS_JWT_AUDIENCE");
        });
        unchecked.withPropertyValues("cachebus.security.tokens.audience=" + LocalTokens.AUDIENCE)
                .run(context -> assertThat(rootCause(context.getStartupFailure(), JwtKeyConfigurationException.class))
                        .hasMessageContaining("missing: issuer"));
        unchecked.withPropertyValues("spring.profiles.active=local").run(context -> {
            TokenClaimsValidator defaults = context.getBean(TokenClaimsValidator.class);
            assertThat(defaults.issuer()).isEqualTo(LocalTokens.ISSUER);
            assertThat(defaults.audience()).isEqualTo(LocalTokens.AUDIENCE);
            assertThat(context.getBean(JwtDecoder.class).decode(LocalTokens.mint(SECRET, "acme", Duration.ofMinutes(5),
                    "me")).getClaimAsString(Tenant.CLAIM)).isEqualTo("acme");
        });
    }

    @Test
    void checksExpiryLifetimeIssuerAndAudienceOfEveryToken() {
        runner.withPropertyValues("cachebus.security.jwt-secret=" + SECRET,
                "cachebus.security.tokens.max-lifetime=1h").run(context -> {
            JwtDecoder decoder = context.getBean(JwtDecoder.class);
            assertThat(decoder.decode(LocalTokens.mint(SECRET, "acme", Duration.ofMinutes(59), "me"))).isNotNull();
            Map<String, JWTClaimsSet> refused = Map.of(
                    "no exp", LocalTokens.claims("acme", Duration.ofMinutes(5), "me").expirationTime(null).build(),
                    "exp beyond the maximum lifetime", LocalTokens.claims("acme", Duration.ofMinutes(62), "me").build(),
                    "no iss", LocalTokens.claims("acme", Duration.ofMinutes(5), "me").issuer(null).build(),
                    "another iss", LocalTokens.claims("acme", Duration.ofMinutes(5), "me").issuer("evil").build(),
                    "no aud", LocalTokens.claims("acme", Duration.ofMinutes(5), "me").audience((String) null).build(),
                    "another aud", LocalTokens.claims("acme", Duration.ofMinutes(5), "me").audience("other-api")
                            .build());
            refused.forEach((why, claims) -> assertThatThrownBy(() -> decoder.decode(LocalTokens.sign(SECRET, claims)))
                    .as(why).isInstanceOf(JwtValidationException.class));
            assertThat(decoder.decode(LocalTokens.sign(SECRET, LocalTokens.claims("acme", Duration.ofMinutes(5), "me")
                    .audience(List.of("other-api", LocalTokens.AUDIENCE)).build())))
                    .as("one of several audiences").isNotNull();
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
            assertThatThrownBy(() -> decoder.decode(LocalTokens.sign(SECRET, LocalTokens.claims("acme",
                    Duration.ofMinutes(5), "me").claim(Tenant.CLAIM, "ac?me").build())))
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
    }
}
