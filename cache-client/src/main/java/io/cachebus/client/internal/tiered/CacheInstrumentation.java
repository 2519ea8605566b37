package io.cachebus.client.internal.tiered;

import io.cachebus.client.CacheKey;
import io.cachebus.client.Tier;
import io.cachebus.client.event.CacheEvent;
import io.cachebus.client.event.CacheEventListener;
import io.cachebus.client.CachebusMeter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the tiered cache reports: Micrometer meters ({@link CachebusMeter}), {@link CacheEvent}s to the
 * application's listeners, and key=value log lines. A failing listener is logged and never breaks a read.
 *
 * <p>L1's own Caffeine statistics ({@code cache.gets}, {@code cache.evictions}, {@code cache.size}, tag
 * {@code cache=cachebus-l1}) are bound as well; their hits and misses count L1 lookups that this class counts per
 * tier already, so hit ratios come from {@link CachebusMeter#CACHE_LOOKUPS} and Caffeine's meters serve to size L1
 * (evictions by size, entry count).
 */
public final class CacheInstrumentation {

    public static final String LOOKUPS = CachebusMeter.CACHE_LOOKUPS.meterName();
    public static final String READ_THROUGH = CachebusMeter.CONSISTENCY_READ_THROUGH.meterName();

    private static final Logger log = LoggerFactory.getLogger(CacheInstrumentation.class);

    private final List<CacheEventListener> listeners;
    private final Meter.MeterProvider<Counter> lookups;
    private final Meter.MeterProvider<Counter> loads;
    private final Meter.MeterProvider<Counter> fallbacks;
    private final Meter.MeterProvider<Counter> readThroughs;
    private final Meter.MeterProvider<Counter> boundNotEnforced;
    private final Meter.MeterProvider<Counter> staleRefused;
    private final Meter.MeterProvider<Counter> l2Skipped;
    /** One timer per tier, registered up front: a hit records into it without building a meter id. */
    private final Map<Tier, Timer> lookupTimes = new EnumMap<>(Tier.class);
    /**
     * The lookups counter of each domain, by tier ordinal, found in the registry on a domain's first lookup in that
     * tier: every later one increments it without building a meter id (tag arrays, sorting, the registry's map). It
     * holds no more than the registry does, one counter per (domain, tier) that was counted.
     */
    private final ConcurrentMap<String, AtomicReferenceArray<Counter>> lookupsByDomain = new ConcurrentHashMap<>();

    public CacheInstrumentation(MeterRegistry registry, List<CacheEventListener> listeners) {
        this.listeners = List.copyOf(listeners);
        this.lookups = CachebusMeter.CACHE_LOOKUPS.counters(registry);
        this.loads = CachebusMeter.CACHE_LOADS.counters(registry);
        this.fallbacks = CachebusMeter.CACHE_FALLBACKS.counters(registry);
        this.readThroughs = CachebusMeter.CONSISTENCY_READ_THROUGH.counters(registry);
        this.boundNotEnforced = CachebusMeter.CONSISTENCY_BOUND_NOT_ENFORCED.counters(registry);
        this.staleRefused = CachebusMeter.CACHE_STALE_REFUSED.counters(registry);
        this.l2Skipped = CachebusMeter.CACHE_L2_SKIPPED.counters(registry);
        for (Tier tier : Tier.values()) {
            lookupTimes.put(tier, CachebusMeter.CACHE_LOOKUP.timer().tag("tier", tierTag(tier)).register(registry));
        }
    }

    public void lookup(CacheKey key, Tier tier, long startedNanos) {
        long tookNanos = System.nanoTime() - startedNanos;
        lookupTimes.get(tier).record(tookNanos, TimeUnit.NANOSECONDS);
        lookupsOf(key.domain(), tier).increment();
        if (log.isDebugEnabled()) {
            log.debug("cache lookup tenant={} domain={} resource={} tier={} durationMicros={}", key.tenant(),
                    key.domain(), key.resource(), tier, tookNanos / 1000);
        }
        if (!listeners.isEmpty()) {
            // the event is built only for someone to hear it: most nodes have no listener, and this runs on every hit
            publish(new CacheEvent.Lookup(key, tier, Duration.ofNanos(tookNanos)));
        }
    }

    private Counter lookupsOf(String domain, Tier tier) {
        AtomicReferenceArray<Counter> byTier = lookupsByDomain.get(domain);
        if (byTier == null) {
            byTier = lookupsByDomain.computeIfAbsent(domain, d -> new AtomicReferenceArray<>(Tier.values().length));
        }
        Counter counter = byTier.get(tier.ordinal());
        if (counter == null) {
            // two threads may both ask the registry: it returns the one counter of that id to each
            counter = lookups.withTags("domain", domain, "tier", tierTag(tier));
            byTier.set(tier.ordinal(), counter);
        }
        return counter;
    }

    public void loaded(CacheKey key) {
        loads.withTag("domain", key.domain()).increment();
    }

    public void fellBack(CacheKey key, RuntimeException cause) {
        fallbacks.withTag("domain", key.domain()).increment();
        if (log.isDebugEnabled()) {
            log.debug("cache l2 unavailable, using fallback tenant={} domain={} cause={}", key.tenant(), key.domain(),
                    cause.getMessage());
        }
    }

    /** Why a read that missed L1 did not ask Redis; its tag value in {@link CachebusMeter#CACHE_L2_SKIPPED}. */
    public enum L2Skip {
        /** A write of this node to the read's scopes is still awaiting its broadcast: the read goes to the loader. */
        READ_YOUR_WRITES("read-your-writes"),
        /** Redis missed an invalidation of the read's scopes during an outage: the read uses the fallback. */
        REDIS_PENDING("redis-pending");

        private final String tag;

        L2Skip(String tag) {
            this.tag = tag;
        }
    }

    public void l2Skipped(CacheKey key, L2Skip reason) {
        l2Skipped.withTags("domain", key.domain(), "reason", reason.tag).increment();
    }

    public void readThrough(CacheKey key) {
        readThroughs.withTag("domain", key.domain()).increment();
    }

    public void boundNotEnforced(CacheKey key) {
        boundNotEnforced.withTag("domain", key.domain()).increment();
        log.debug("cache read-through bulkhead full, answered from the caches tenant={} domain={} resource={}",
                key.tenant(), key.domain(), key.resource());
    }

    public void staleStoreRefused(CacheKey key, Tier tier) {
        staleRefused.withTag("domain", key.domain()).increment();
        log.debug("cache store refused, invalidated while loading tenant={} domain={} resource={} tier={}",
                key.tenant(), key.domain(), key.resource(), tier);
        publish(new CacheEvent.StaleStoreRefused(key, tier));
    }

    /** The {@code tier} tag of a meter: {@code l1}, {@code l2_redis}, {@code l2_fallback}, {@code loader}. */
    public static String tierTag(Tier tier) {
        return tier.name().toLowerCase(Locale.ROOT);
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
