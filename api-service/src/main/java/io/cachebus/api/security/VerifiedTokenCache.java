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
 * accepted is answered from here, so every check the real decoder makes (signature, expiry, maximum lifetime,
 * issuer, audience, tenant) holds for every answer from here too. A rejected token is never remembered, nor is a
 * token without {@code exp} (the real decoder should have refused it; without an end it must not be remembered). An
 * entry lives until the token's {@code exp} or {@code maxAge}, whichever comes first, so an expired token always goes
 * back to the real decoder (which rejects it) and a token whose key was withdrawn is accepted for at most
 * {@code maxAge} longer.
 *
 * <p>Bounded twice: by count ({@code maxSize}) and by the bytes of the token strings it keeps ({@code maxBytes}; a
 * token's decoded claims take room in proportion to its text). One Caffeine weight does both: an entry weighs its
 * token's length, but never less than {@code maxBytes / maxSize}, so no more than {@code maxSize} entries fit either.
 * Caffeine picks which entries go first (the least recently and least frequently used).
 */
public final class VerifiedTokenCache implements JwtDecoder {

    private final JwtDecoder verifier;
    private final Cache<String, Jwt> accepted;

    /**
     * @param verifier the decoder that parses, verifies and validates
     * @param maxSize  most tokens remembered at once
     * @param maxBytes most characters (JWTs are ASCII: bytes) of token text remembered at once
     * @param maxAge   longest time a token is answered from here without the verifier
     */
    public VerifiedTokenCache(JwtDecoder verifier, int maxSize, long maxBytes, Duration maxAge) {
        this(verifier, maxSize, maxBytes, maxAge, Clock.systemUTC(), Ticker.systemTicker());
    }

    /** With the wall clock the tokens' {@code exp} is read against, and the ticker the entries age by. */
    VerifiedTokenCache(JwtDecoder verifier, int maxSize, long maxBytes, Duration maxAge, Clock clock, Ticker ticker) {
        if (maxSize < 1 || maxBytes < 1 || maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("maxSize, maxBytes and maxAge must be positive");
        }
        int leastWeight = (int) Math.min(Integer.MAX_VALUE, Math.max(1, maxBytes / maxSize));
        this.verifier = verifier;
        this.accepted = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((String token, Jwt jwt) -> Math.max(token.length(), leastWeight))
                // evictions run in the calling thread, so the bounds hold when decode returns
                .executor(Runnable::run)
                .ticker(ticker)
                .expireAfter(new UntilExpiryOrMaxAge(maxAge, clock))
                .build();
    }

    /** How many tokens are remembered now. */
    long size() {
        return accepted.estimatedSize();
    }

    /** How many characters of token text are remembered now. */
    long tokenBytes() {
        return accepted.asMap().keySet().stream().mapToLong(String::length).sum();
    }

    @Override
    public Jwt decode(String token) {
        Jwt jwt = accepted.getIfPresent(token);
        if (jwt == null) {
            jwt = verifier.decode(token); // throws for every token it does not accept: nothing is remembered then
            if (jwt.getExpiresAt() != null) {
                accepted.put(token, jwt);
            }
        }
        return jwt;
    }

    /** Lifetime of an entry: until the token expires, at most {@code maxAge}; no time at all once expired. */
    private record UntilExpiryOrMaxAge(Duration maxAge, Clock clock) implements Expiry<String, Jwt> {

        @Override
        public long expireAfterCreate(String token, Jwt jwt, long currentTime) {
            Instant expiresAt = jwt.getExpiresAt();
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
