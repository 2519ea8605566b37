package io.cachebus.api.web;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * HTTP limits of the API.
 *
 * @param maxRequestBodySize the largest request body accepted; a larger one is refused with 413 before it is
 *                           parsed. Default 64KB: a workflow with 100 steps is a few KiB.
 * @param rateLimit          requests per tenant and per token, on each node
 */
@ConfigurationProperties("cachebus.api")
public record ApiProperties(@DefaultValue("64KB") DataSize maxRequestBodySize, @DefaultValue RateLimit rateLimit) {

    /**
     * Requests an authenticated caller may make of one node per period; past either limit a request is answered
     * 429 with a problem body and {@code Retry-After}, before it reaches a controller. The limits hold per node:
     * behind a balancer over N nodes a tenant gets about N times as many. The defaults are well above what the
     * load-test profiles send (a hot tenant at a few hundred requests per second on one node).
     *
     * @param enabled         whether requests are limited at all (default true)
     * @param perTenant       requests of one tenant, all its tokens together, per period (default 2000)
     * @param perToken        requests with one bearer token per period (default 1000)
     * @param period          the period the limits count in (default 1s)
     * @param maxTracked      most tenants and tokens whose counts a node holds at once (default 100000); the least
     *                        recently seen are forgotten first, which only gives them a fresh period
     */
    public record RateLimit(@DefaultValue("true") boolean enabled, @DefaultValue("2000") int perTenant,
            @DefaultValue("1000") int perToken, @DefaultValue("1s") Duration period,
            @DefaultValue("100000") long maxTracked) {

        public RateLimit {
            if (perTenant < 1 || perToken < 1) {
                throw new IllegalArgumentException("cachebus.api.rate-limit.per-tenant and per-token must be "
                        + "positive, were " + perTenant + " and " + perToken);
            }
            if (period.isNegative() || period.isZero()) {
                throw new IllegalArgumentException("cachebus.api.rate-limit.period must be positive, was " + period);
            }
            if (maxTracked < 1) {
                throw new IllegalArgumentException("cachebus.api.rate-limit.max-tracked must be positive, was "
                        + maxTracked);
            }
        }
    }
}
