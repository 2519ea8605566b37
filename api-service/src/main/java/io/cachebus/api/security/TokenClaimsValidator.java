package io.cachebus.api.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;

/**
 * Accepts only tokens that say who issued them and for whom, and that expire soon enough: {@code iss} must be the
 * configured issuer, {@code aud} must contain the configured audience, and {@code exp} must be present and at most
 * {@code maxLifetime} from now. (That {@code exp} has not passed is checked by Spring Security's own timestamp
 * validator beside this one.) The reasons go to the log at debug level, never to the client: every refusal is the
 * same 401.
 */
public final class TokenClaimsValidator implements OAuth2TokenValidator<Jwt> {

    /** The clock skew Spring Security's timestamp validator allows past {@code exp}, allowed here too. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(1);

    private final String issuer;
    private final String audience;
    private final Duration maxLifetime;
    private final Clock clock;

    public TokenClaimsValidator(String issuer, String audience, Duration maxLifetime) {
        this(issuer, audience, maxLifetime, Clock.systemUTC());
    }

    TokenClaimsValidator(String issuer, String audience, Duration maxLifetime, Clock clock) {
        if (issuer == null || issuer.isBlank() || audience == null || audience.isBlank()) {
            throw new IllegalArgumentException("issuer and audience are required");
        }
        this.issuer = issuer;
        this.audience = audience;
        this.maxLifetime = maxLifetime;
        this.clock = clock;
    }

    /**
     * The validator for these settings. Issuer and audience are required outside the {@code local} profile; under it
     * they default to what {@link LocalTokens} writes.
     *
     * @throws JwtKeyConfigurationException when issuer or audience is missing outside the {@code local} profile
     */
    static TokenClaimsValidator forSettings(CachebusSecurityProperties.Tokens settings, boolean localProfile) {
        String configuredIssuer = blankToNull(settings.issuer());
        String configuredAudience = blankToNull(settings.audience());
        if (!localProfile && (configuredIssuer == null || configuredAudience == null)) {
            throw new JwtKeyConfigurationException("Bearer tokens cannot be checked: cachebus.security.tokens.issuer"
                    + " (environment variable CACHEBUS_JWT_ISSUER) and cachebus.security.tokens.audience"
                    + " (CACHEBUS_JWT_AUDIENCE) must both be set; missing: "
                    + (configuredIssuer == null ? "issuer " : "") + (configuredAudience == null ? "audience" : ""),
                    "Set CACHEBUS_JWT_ISSUER to the 'iss' your tokens carry (your identity provider's issuer, or "
                            + LocalTokens.ISSUER + " for tokens of ./cachebus token) and CACHEBUS_JWT_AUDIENCE to this"
                            + " API's audience (" + LocalTokens.AUDIENCE + " for ./cachebus token), or start with"
                            + " --spring.profiles.active=local for a development node.");
        }
        return new TokenClaimsValidator(configuredIssuer == null ? LocalTokens.ISSUER : configuredIssuer,
                configuredAudience == null ? LocalTokens.AUDIENCE : configuredAudience, settings.maxLifetime());
    }

    @Override
    public OAuth2TokenValidatorResult validate(Jwt token) {
        Instant expiresAt = token.getExpiresAt();
        if (expiresAt == null) {
            return refused("the token has no 'exp' claim");
        }
        if (expiresAt.isAfter(clock.instant().plus(maxLifetime).plus(CLOCK_SKEW))) {
            return refused("the token's 'exp' lies more than " + maxLifetime + " ahead");
        }
        if (!issuer.equals(token.getClaimAsString(JwtClaimNames.ISS))) {
            return refused("the token's 'iss' is not the configured issuer");
        }
        List<String> audiences = token.getAudience();
        if (audiences == null || !audiences.contains(audience)) {
            return refused("the token's 'aud' does not contain the configured audience");
        }
        return OAuth2TokenValidatorResult.success();
    }

    String issuer() {
        return issuer;
    }

    String audience() {
        return audience;
    }

    private static OAuth2TokenValidatorResult refused(String reason) {
        return OAuth2TokenValidatorResult.failure(new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN, reason, null));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
