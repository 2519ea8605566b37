package io.cachebus.client.internal.tiered;

import io.cachebus.client.internal.consistency.ConsistencySampler;
import io.cachebus.client.internal.consistency.StalenessGate;
import io.github.resilience4j.bulkhead.Bulkhead;
import java.time.Duration;

/**
 * What guards {@link DefaultTieredCache}'s read path beyond its tiers: the staleness bound and the bulkhead of the
 * reads it sends to the database, the scopes whose Redis entries an outage left stale, and the sampler that checks
 * hits against the database in production.
 *
 * @param gate         whether cached data may be served for a read's scopes right now
 * @param redisPending scopes whose Redis entries an outage left stale, or {@code null} for none
 * @param readThrough  bounds the reads that go to the loader because of the gate, or {@code null} (no bound)
 * @param sampler      checks a sample of the hits against the loader, off the request path
 * @param sharedLoadMaxWait how long a miss waits for a concurrent load of the same key before loading itself
 */
public record ReadGuards(StalenessGate gate, RedisPendingScopes redisPending, Bulkhead readThrough,
        ConsistencySampler sampler, Duration sharedLoadMaxWait) {

    /** A cache that enforces no bound and samples nothing: a single node, or a test of the tiers alone. */
    public static ReadGuards none() {
        return new ReadGuards(StalenessGate.UNENFORCED, null, null, ConsistencySampler.off(),
                SingleFlight.DEFAULT_MAX_WAIT);
    }

    public ReadGuards withSampler(ConsistencySampler sampler) {
        return new ReadGuards(gate, redisPending, readThrough, sampler, sharedLoadMaxWait);
    }

    public ReadGuards withSharedLoadMaxWait(Duration maxWait) {
        return new ReadGuards(gate, redisPending, readThrough, sampler, maxWait);
    }
}
