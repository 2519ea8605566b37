package io.cachebus.api.web;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import java.time.Duration;
import java.util.Optional;

/**
 * One resilience4j rate limiter per tenant and per token, held in Caffeine caches of bounded size: the callers a
 * node has seen cannot grow its memory without bound, and a forgotten caller only starts a fresh period.
 */
final class RateLimits {

    private final RateLimiterConfig perTenant;
    private final RateLimiterConfig perToken;
    private final Cache<String, AtomicRateLimiter> tenants;
    private final Cache<String, AtomicRateLimiter> tokens;

    RateLimits(ApiProperties.RateLimit settings) {
        this.perTenant = config(settings.perTenant(), settings.period());
        this.perToken = config(settings.perToken(), settings.period());
        // idle a few periods: nothing is left to remember, the next request starts a full period anyway
        Duration idle = settings.period().multipliedBy(10);
        this.tenants = Caffeine.newBuilder().maximumSize(settings.maxTracked()).expireAfterAccess(idle).build();
        this.tokens = Caffeine.newBuilder().maximumSize(settings.maxTracked()).expireAfterAccess(idle).build();
    }

    /** Which limit refused the request and how long until it would pass. */
    record Refusal(String limit, Duration retryAfter) {
    }

    /** Takes a permit of the token's limit and then of its tenant's; empty when both had one. */
    Optional<Refusal> acquire(String tenant, String tokenDigest) {
        AtomicRateLimiter token = tokens.get(tokenDigest, key -> new AtomicRateLimiter("token", perToken));
        if (!token.acquirePermission()) {
            return Optional.of(new Refusal("token", wait(token)));
        }
        AtomicRateLimiter owner = tenants.get(tenant, key -> new AtomicRateLimiter("tenant", perTenant));
        if (!owner.acquirePermission()) {
            return Optional.of(new Refusal("tenant", wait(owner)));
        }
        return Optional.empty();
    }

    private static Duration wait(AtomicRateLimiter limiter) {
        long nanos = limiter.getDetailedMetrics().getNanosToWait();
        return Duration.ofNanos(Math.max(0, nanos));
    }

    private static RateLimiterConfig config(int permits, Duration period) {
        return RateLimiterConfig.custom().limitForPeriod(permits).limitRefreshPeriod(period)
                .timeoutDuration(Duration.ZERO).build();
    }
}
