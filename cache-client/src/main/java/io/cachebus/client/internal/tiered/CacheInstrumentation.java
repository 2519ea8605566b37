package io.cachebus.client.internal.tiered;

import io.cachebus.client.CacheKey;
import io.cachebus.client.Tier;
import io.cachebus.client.event.CacheEvent;
import io.cachebus.client.event.CacheEventListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the tiered cache reports: Micrometer counters per domain, {@link CacheEvent}s to the application's
 * listeners, and key=value log lines. A failing listener is logged and never breaks a read.
 */
public final class CacheInstrumentation {

    public static final String LOOKUPS = "cachebus.cache.lookups";
    public static final String LOADS = "cachebus.cache.loads";
    public static final String FALLBACKS = "cachebus.cache.fallbacks";
    public static final String STALE_REFUSED = "cachebus.cache.stale.refused";
    /** Reads sent to the loader because this node could not show it is within the staleness bound. */
    public static final String READ_THROUGH = "cachebus.consistency.read.through";
    /** Reads answered from the caches although the node was behind: the read-through bulkhead stayed full. */
    public static final String BOUND_NOT_ENFORCED = "cachebus.consistency.bound.not.enforced";

    private static final Logger log = LoggerFactory.getLogger(CacheInstrumentation.class);

    private final MeterRegistry registry;
    private final List<CacheEventListener> listeners;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public CacheInstrumentation(MeterRegistry registry, List<CacheEventListener> listeners) {
        this.registry = registry;
        this.listeners = List.copyOf(listeners);
    }

    public void lookup(CacheKey key, Tier tier, long startedNanos) {
        Duration took = Duration.ofNanos(System.nanoTime() - startedNanos);
        counter(LOOKUPS, key.domain(), tier).increment();
        if (log.isDebugEnabled()) {
            log.debug("cache lookup tenant={} domain={} resource={} tier={} durationMicros={}", key.tenant(),
                    key.domain(), key.resource(), tier, took.toNanos() / 1000);
        }
        publish(new CacheEvent.Lookup(key, tier, took));
    }

    public void loaded(CacheKey key) {
        counter(LOADS, key.domain(), null).increment();
    }

    public void fellBack(CacheKey key, RuntimeException cause) {
        counter(FALLBACKS, key.domain(), null).increment();
        if (log.isDebugEnabled()) {
            log.debug("cache l2 unavailable, using fallback tenant={} domain={} cause={}", key.tenant(), key.domain(),
                    cause.getMessage());
        }
    }

    public void readThrough(CacheKey key) {
        counter(READ_THROUGH, key.domain(), null).increment();
    }

    public void boundNotEnforced(CacheKey key) {
        counter(BOUND_NOT_ENFORCED, key.domain(), null).increment();
        log.debug("cache read-through bulkhead full, answered from the caches tenant={} domain={} resource={}",
                key.tenant(), key.domain(), key.resource());
    }

    public void staleStoreRefused(CacheKey key, Tier tier) {
        counter(STALE_REFUSED, key.domain(), null).increment();
        log.debug("cache store refused, invalidated while loading tenant={} domain={} resource={} tier={}",
                key.tenant(), key.domain(), key.resource(), tier);
        publish(new CacheEvent.StaleStoreRefused(key, tier));
    }

    private Counter counter(String name, String domain, Tier tier) {
        String id = name + '|' + domain + '|' + tier;
        return counters.computeIfAbsent(id, i -> {
            Counter.Builder builder = Counter.builder(name).tag("domain", domain);
            if (tier != null) {
                builder.tag("tier", tier.name().toLowerCase(Locale.ROOT));
            }
            return builder.register(registry);
        });
    }

    private void publish(CacheEvent event) {
        for (CacheEventListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                log.warn("cache event listener failed listener={} event={} error={}", listener.getClass().getName(),
                        event.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
