package io.cachebus.api.web;

import io.cachebus.api.ApiMeter;
import io.cachebus.api.security.Tenant;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Answers 429 with a problem body and {@code Retry-After} once a tenant or a token has used its requests of the
 * period on this node. Runs after authentication (a request without a verified token never gets here with a
 * tenant, and is answered 401 by the security chain) and before the controller, so a refused request costs no
 * database or cache work.
 */
final class RateLimitInterceptor implements HandlerInterceptor {

    private static final Logger log = LoggerFactory.getLogger(RateLimitInterceptor.class);

    private final RateLimits limits;
    private final ProblemResponseWriter problems;
    private final Counter tenantLimited;
    private final Counter tokenLimited;

    RateLimitInterceptor(RateLimits limits, ProblemResponseWriter problems, MeterRegistry registry) {
        this.limits = limits;
        this.problems = problems;
        // no tenant tag: one series per tenant is the unbounded state these limits are there to prevent
        this.tenantLimited = counter(registry, "tenant");
        this.tokenLimited = counter(registry, "token");
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
            throws IOException {
        if (request.getDispatcherType() != DispatcherType.REQUEST) {
            return true; // an error or async dispatch of a request that was counted already
        }
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (!(authentication instanceof JwtAuthenticationToken jwt)
                || !(jwt.getToken().getClaims().get(Tenant.CLAIM) instanceof String tenant)) {
            return true;
        }
        Optional<RateLimits.Refusal> refusal = limits.acquire(tenant, digest(jwt.getToken().getTokenValue()));
        if (refusal.isEmpty()) {
            return true;
        }
        RateLimits.Refusal refused = refusal.get();
        (refused.limit().equals("tenant") ? tenantLimited : tokenLimited).increment();
        long retryAfterSeconds = Math.max(1, ceilSeconds(refused.retryAfter()));
        log.debug("request rate limited tenant={} limit={} retryAfterSeconds={}", tenant, refused.limit(),
                retryAfterSeconds);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS,
                "Too many requests for this " + refused.limit() + " on this node; retry after " + retryAfterSeconds
                        + " s.");
        problem.setTitle("Too Many Requests");
        problem.setProperty("limit", refused.limit());
        response.setHeader(HttpHeaders.RETRY_AFTER, String.valueOf(retryAfterSeconds));
        problems.write(request, response, problem);
        return false;
    }

    private static long ceilSeconds(Duration duration) {
        return (duration.toNanos() + 999_999_999L) / 1_000_000_000L;
    }

    /** Tokens are counted by digest: a node holds no bearer token longer than its request. */
    private static String digest(String token) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static Counter counter(MeterRegistry registry, String limit) {
        return Counter.builder(ApiMeter.RATE_LIMITED.meterName()).tag("limit", limit)
                .description(ApiMeter.RATE_LIMITED.description()).register(registry);
    }
}
