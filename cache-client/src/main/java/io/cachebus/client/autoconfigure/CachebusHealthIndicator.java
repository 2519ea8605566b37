package io.cachebus.client.autoconfigure;

import io.cachebus.client.internal.consistency.EnforcedStalenessBound;
import io.cachebus.client.internal.eviction.EvictionSubscription;
import io.cachebus.client.internal.outbox.OutboxRelay;
import io.cachebus.client.internal.tiered.RedisEntryStore;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * {@code /actuator/health/cachebus}: which L2 is in use, the Redis breaker's state, outbox backlog, the eviction
 * subscription and whether the node is within its staleness bound. Always UP: cache and bus trouble degrade speed,
 * never correctness, so a Redis outage must not take every node out of the load balancer at once. The details show
 * the outage ({@code degraded=true}).
 */
public final class CachebusHealthIndicator implements HealthIndicator {

    private final String nodeId;
    private final RedisEntryStore redis;
    private final OutboxRelay relay;
    private final EvictionSubscription evictions;
    private final EnforcedStalenessBound bound;

    /** Any of {@code redis}, {@code relay}, {@code evictions}, {@code bound} may be {@code null} when not configured. */
    public CachebusHealthIndicator(String nodeId, RedisEntryStore redis, OutboxRelay relay,
            EvictionSubscription evictions, EnforcedStalenessBound bound) {
        this.bound = bound;
        this.nodeId = nodeId;
        this.redis = redis;
        this.relay = relay;
        this.evictions = evictions;
    }

    @Override
    public Health health() {
        Health.Builder health = Health.up().withDetail("node", nodeId);
        boolean degraded = false;
        if (redis == null) {
            health.withDetail("l2", "fallback").withDetail("redis", "not configured");
        } else {
            CircuitBreaker breaker = redis.breaker();
            boolean closed = breaker.getState() == CircuitBreaker.State.CLOSED;
            degraded = !closed;
            health.withDetail("l2", closed ? "redis" : "fallback")
                    .withDetail("redisBreaker", breaker.getState().name())
                    .withDetail("redisFailureRate", breaker.getMetrics().getFailureRate());
        }
        if (relay != null) {
            health.withDetail("outboxPending", relay.pending());
        }
        if (evictions != null) {
            health.withDetail("evictionAssignments", evictions.assignments());
        }
        if (bound == null) {
            health.withDetail("stalenessBound", "not enforced");
        } else {
            double lag = bound.lagSeconds();
            // a node no read asked for a while stops probing: it is idle, not behind
            boolean idle = bound.waitingForARead();
            boolean behind = !idle && bound.behind();
            degraded |= behind;
            health.withDetail("stalenessBound", idle ? "idle, probing again at the next read"
                            : behind ? "behind, reading through" : "within")
                    .withDetail("maxStalenessMs", bound.maxStaleness().toMillis())
                    .withDetail("lagMs", Double.isInfinite(lag) ? "unknown" : Math.round(lag * 1000));
        }
        return health.withDetail("degraded", degraded).build();
    }
}
