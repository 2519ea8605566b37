package io.cachebus.api.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/** What the cache in front of the JWT decoder may answer by itself, and when it must ask the decoder again. */
class VerifiedTokenCacheTest {

    private static final Duration MAX_AGE = Duration.ofMinutes(5);

    private static final int MAX_SIZE = 100;
    private static final long MAX_BYTES = 10_000;

    private final FakeTime time = new FakeTime(Instant.parse("2026-01-01T00:00:00Z"));
    private final CountingVerifier verifier = new CountingVerifier(time);
    private final VerifiedTokenCache cache = new VerifiedTokenCache(verifier, MAX_SIZE, MAX_BYTES, MAX_AGE, time, time);

    @Test
    void anAcceptedTokenIsVerifiedOnceAndThenAnsweredFromMemory() {
        verifier.accept("token-a", time.instant().plus(Duration.ofMinutes(30)));

        Jwt first = cache.decode("token-a");
        Jwt second = cache.decode("token-a");

        assertThat(second).isSameAs(first);
        assertThat(verifier.calls("token-a")).isEqualTo(1);
    }

    @Test
    void aRejectedTokenIsNeverRemembered() {
        assertThatThrownBy(() -> cache.decode("forged")).isInstanceOf(BadJwtException.class);
        assertThatThrownBy(() -> cache.decode("forged")).isInstanceOf(BadJwtException.class);

        assertThat(verifier.calls("forged")).isEqualTo(2);
    }

    @Test
    void onlyTheExactTokenIsAnsweredFromMemory() {
        verifier.accept("token-a", time.instant().plus(Duration.ofMinutes(30)));
        cache.decode("token-a");

        assertThatThrownBy(() -> cache.decode("token-a ")).isInstanceOf(BadJwtException.class);
        assertThatThrownBy(() -> cache.decode("token-b")).isInstanceOf(BadJwtException.class);
    }

    @Test
    void anExpiredTokenGoesBackToTheVerifier() {
        Instant expiresAt = time.instant().plus(Duration.ofMinutes(2));
        verifier.accept("token-a", expiresAt);
        cache.decode("token-a");

        time.advance(Duration.ofMinutes(2).plusMillis(1));
        cache.decode("token-a"); // the verifier's clock skew still accepts it
        assertThat(verifier.calls("token-a")).isEqualTo(2);

        time.advance(Duration.ofSeconds(60));
        assertThatThrownBy(() -> cache.decode("token-a")).isInstanceOf(BadJwtException.class);
        assertThat(verifier.calls("token-a")).isEqualTo(3);
    }

    @Test
    void aLongLivedTokenIsVerifiedAgainAfterTheMaximumAge() {
        verifier.accept("token-a", time.instant().plus(Duration.ofHours(12)));
        cache.decode("token-a");

        time.advance(MAX_AGE.minusSeconds(1));
        cache.decode("token-a");
        assertThat(verifier.calls("token-a")).isEqualTo(1);

        time.advance(Duration.ofSeconds(2));
        cache.decode("token-a");
        assertThat(verifier.calls("token-a")).isEqualTo(2);
    }

    @Test
    void aTokenWithoutExpiryIsNeverRemembered() {
        verifier.accept("token-a", null);

        cache.decode("token-a");
        cache.decode("token-a");

        assertThat(verifier.calls("token-a")).isEqualTo(2);
    }

    @Test
    void largeTokensAreBoundedByTheirBytesNotOnlyByTheirCount() {
        Instant expiresAt = time.instant().plus(Duration.ofMinutes(30));
        int tokenLength = 3_000;
        for (int i = 0; i < 10; i++) {
            String token = i + "-" + "x".repeat(tokenLength);
            verifier.accept(token, expiresAt);
            cache.decode(token);
        }

        assertThat(cache.tokenBytes()).isLessThanOrEqualTo(MAX_BYTES);
        assertThat(cache.size()).isPositive().isLessThanOrEqualTo(MAX_BYTES / (tokenLength + 2));
    }

    @Test
    void smallTokensAreBoundedByTheirCount() {
        Instant expiresAt = time.instant().plus(Duration.ofMinutes(30));
        for (int i = 0; i < 3 * MAX_SIZE; i++) {
            verifier.accept("token-" + i, expiresAt);
            cache.decode("token-" + i);
        }

        assertThat(cache.size()).isEqualTo(MAX_SIZE);
        String latest = "token-" + (3 * MAX_SIZE - 1);
        cache.decode(latest);
        assertThat(verifier.calls(latest)).as("the most recent token is still remembered").isEqualTo(1);
    }

    @Test
    void aTokenAcceptedWithinTheClockSkewPastItsExpiryIsNotRemembered() {
        verifier.accept("token-a", time.instant().minusSeconds(10));

        cache.decode("token-a");
        cache.decode("token-a");

        assertThat(verifier.calls("token-a")).isEqualTo(2);
    }

    /**
     * Accepts the tokens it was told to until 60 s past their expiry (the clock skew Spring Security allows), and
     * counts how often it was asked.
     */
    private static final class CountingVerifier implements JwtDecoder {

        private final Clock clock;
        private final Map<String, Instant> accepted = new HashMap<>();
        private final Map<String, Boolean> withoutExpiry = new HashMap<>();
        private final Map<String, AtomicInteger> calls = new HashMap<>();

        CountingVerifier(Clock clock) {
            this.clock = clock;
        }

        void accept(String token, Instant expiresAt) {
            if (expiresAt == null) {
                withoutExpiry.put(token, true);
            } else {
                accepted.put(token, expiresAt);
            }
        }

        int calls(String token) {
            return calls.getOrDefault(token, new AtomicInteger()).get();
        }

        @Override
        public Jwt decode(String token) {
            calls.computeIfAbsent(token, t -> new AtomicInteger()).incrementAndGet();
            Instant now = clock.instant();
            Jwt.Builder jwt = Jwt.withTokenValue(token).header("alg", "HS256").claim(Tenant.CLAIM, "acme");
            if (withoutExpiry.containsKey(token)) {
                return jwt.issuedAt(now.minusSeconds(1)).build();
            }
            Instant expiresAt = accepted.get(token);
            if (expiresAt == null || now.isAfter(expiresAt.plusSeconds(60))) {
                throw new BadJwtException("refused: " + token);
            }
            return jwt.issuedAt(expiresAt.minus(Duration.ofHours(1))).expiresAt(expiresAt).build();
        }
    }

    /** One source of time for the wall clock (token expiry) and the ticker (entry age). */
    private static final class FakeTime extends Clock implements Ticker {

        private Instant now;

        FakeTime(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public long read() {
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }
}
