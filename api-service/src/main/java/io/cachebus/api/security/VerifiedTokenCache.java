package io.cachebus.api.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/**
 * A {@link JwtDecoder} in front of the real one that remembers the tokens it accepted, so a client sending the same
 * bearer token with every request has it parsed, its signature checked and its claims validated once, not per
 * request (ADR 0009).
 *
 * <p>The key is the whole token string, signature included: only a byte-for-byte copy of a token the real decoder
 * accepted is answered from here. A rejected token is never remembered. An entry lives until the token's
 * {@code exp} or {@code maxAge}, whichever comes first, so an expired token always goes back to the real decoder
 * (which rejects it) and a token whose key was withdrawn is accepted for at most {@code maxAge} longer.
 */
public final class VerifiedTokenCache implements JwtDecoder {

    private final JwtDecoder verifier;
    private final Cache<String, Jwt> accepted;

    /**
     * @param verifier the decoder that parses, verifies and validates
     * @param maxSize  most tokens remembered at once (the least recently used go first)
     * @param maxAge   longest time a token is answered from here without the verifier
     */
    public VerifiedTokenCache(JwtDecoder verifier, int maxSize, Duration maxAge) {
        this(verifier, maxSize, maxAge, Clock.systemUTC(), Ticker.systemTicker());
    }

    /** With the wall clock the tokens' {@code exp} is read against, and the ticker the entries age by. */
    VerifiedTokenCache(JwtDecoder verifier, int maxSize, Duration maxAge, Clock clock, Ticker ticker) {
        if (maxSize < 1 || maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("maxSize and maxAge must be positive");
        }
        this.verifier = verifier;
        this.accepted = Caffeine.newBuilder()
                .maximumSize(maxSize)
                .ticker(ticker)
                .expireAfter(new UntilExpiryOrMaxAge(maxAge, clock))
                .build();
    }

    @Override
    public Jwt decode(String token) {
        Jwt jwt = accepted.getIfPresent(token);
        if (jwt == null) {
            jwt = verifier.decode(token); // throws for every token it does not accept: nothing is remembered then
            accepted.put(token, jwt);
        }
        return jwt;
    }

    /** Lifetime of an entry: until the token expires, at most {@code maxAge}; no time at all once expired. */
    private record UntilExpiryOrMaxAge(Duration maxAge, Clock clock) implements Expiry<String, Jwt> {

        @Override
        public long expireAfterCreate(String token, Jwt jwt, long currentTime) {
            Instant expiresAt = jwt.getExpiresAt();
            if (expiresAt == null) {
                return maxAge.toNanos();
            }
            // The verifier allows a little clock skew past exp; such a token is accepted, but not remembered.
            Duration left = Duration.between(clock.instant(), expiresAt);
            return left.isNegative() ? 0 : Math.min(left.toNanos(), maxAge.toNanos());
        }

        @Override
        public long expireAfterUpdate(String token, Jwt jwt, long currentTime, long currentDuration) {
            return expireAfterCreate(token, jwt, currentTime);
        }

        @Override
        public long expireAfterRead(String token, Jwt jwt, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
