package io.cachebus.invalidator.invalidation;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/**
 * The per-invalidation meters: {@code sba.cache.invalidations} (Prometheus {@code sba_cache_invalidations_total},
 * tags {@code domain} and, unless switched off, {@code tenant}) and the timer {@code cachebus.invalidation.duration}
 * (tags {@code strategy}, {@code domain}).
 */
public final class InvalidationMetrics {

    public static final String INVALIDATIONS = "sba.cache.invalidations";
    public static final String DURATION = "cachebus.invalidation.duration";

    private final MeterRegistry registry;
    private final boolean tenantLabel;

    /** @param tenantLabel false drops the tenant tag entirely, for fleets with too many tenants for one series each */
    public InvalidationMetrics(MeterRegistry registry, boolean tenantLabel) {
        this.registry = registry;
        this.tenantLabel = tenantLabel;
    }

    public void record(InvalidationResult result) {
        String domain = result.group().domain();
        Tags tags = tenantLabel ? Tags.of("domain", domain, "tenant", result.group().tenant()) : Tags.of("domain", domain);
        Counter.builder(INVALIDATIONS)
                .description("Redis invalidations of a tenant's domain (one per coalesced group of events)")
                .tags(tags)
                .register(registry)
                .increment();
        Timer.builder(DURATION)
                .description("Time spent in Redis per invalidation")
                .tags("strategy", result.strategy(), "domain", domain)
                .register(registry)
                .record(result.duration());
    }
}
