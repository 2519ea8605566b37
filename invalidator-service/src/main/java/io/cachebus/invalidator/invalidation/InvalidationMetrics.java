package io.cachebus.invalidator.invalidation;

import io.cachebus.invalidator.InvalidatorMeter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/** The per-invalidation meters: {@link InvalidatorMeter#INVALIDATIONS} and {@link InvalidatorMeter#INVALIDATION_DURATION}. */
public final class InvalidationMetrics {

    public static final String INVALIDATIONS = InvalidatorMeter.INVALIDATIONS.meterName();

    private final Meter.MeterProvider<Counter> invalidations;
    private final Meter.MeterProvider<Timer> durations;
    private final boolean tenantLabel;

    /** @param tenantLabel false drops the tenant tag entirely, for fleets with too many tenants for one series each */
    public InvalidationMetrics(MeterRegistry registry, boolean tenantLabel) {
        this.invalidations = InvalidatorMeter.INVALIDATIONS.counter().withRegistry(registry);
        this.durations = InvalidatorMeter.INVALIDATION_DURATION.timer().withRegistry(registry);
        this.tenantLabel = tenantLabel;
    }

    public void record(InvalidationResult result) {
        String domain = result.group().domain();
        Tags tags = tenantLabel ? Tags.of("domain", domain, "tenant", result.group().tenant()) : Tags.of("domain", domain);
        invalidations.withTags(tags).increment();
        durations.withTags("strategy", result.strategy(), "domain", domain).record(result.duration());
    }
}
