package io.cachebus.loadtest.liveview;

import io.cachebus.client.CachebusMeter;
import io.cachebus.client.Tier;
import io.cachebus.client.autoconfigure.CachebusAutoConfiguration;
import io.cachebus.loadtest.measure.CacheLookups;
import io.cachebus.loadtest.measure.PrometheusSamples;
import io.cachebus.loadtest.measure.PrometheusSamples.Sample;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What one scrape of an API node's {@code /actuator/prometheus} says, as the live view needs it: the node's own
 * counters since it started (not rates) and its current states. Read over HTTP, so it is the same for a node in this
 * JVM and a node in a process of its own.
 *
 * @param requests            API requests served ({@code http.server.requests} outside {@code /actuator})
 * @param l1Hits              reads answered by the node's Caffeine L1 ({@code cachebus.cache.lookups{tier=l1}})
 * @param l2Hits              reads answered by Redis or by its in-memory stand-in
 * @param misses              reads the loader answered: database loads
 * @param l1Size              entries in L1 (Caffeine's {@code cache.size{cache=cachebus-l1}}); empty when not exposed
 * @param evictionsApplied    scopes of eviction broadcasts applied ({@code cachebus.evictions.received})
 * @param propagationCount    broadcasts timed by {@code cachebus.eviction.propagation}
 * @param propagationSeconds  their total time, commit to applied on this node
 * @param redisBreaker        the Redis circuit breaker's state ({@code closed}, {@code open}, ...); empty without one
 * @param subscriptionAssignments how often the eviction subscription was assigned partitions (0: not yet)
 */
public record NodeSample(double requests, double l1Hits, double l2Hits, double misses, Optional<Double> l1Size,
        double evictionsApplied, double propagationCount, double propagationSeconds, Optional<String> redisBreaker,
        double subscriptionAssignments) {

    static final String HTTP_REQUESTS = "http_server_requests_seconds_count";
    static final String CAFFEINE_SIZE = "cache_size";
    static final String BREAKER_STATE = "resilience4j_circuitbreaker_state";
    static final String EVICTIONS_APPLIED = counter(CachebusMeter.EVICTIONS_RECEIVED);
    static final String SUBSCRIPTION_ASSIGNMENTS = counter(CachebusMeter.EVICTIONS_REASSIGNMENTS);
    static final String PROPAGATION = CachebusMeter.EVICTION_PROPAGATION.meterName().replace('.', '_') + "_seconds";

    /** Reads {@code scrape}, one node's metrics. */
    public static NodeSample of(PrometheusSamples scrape) {
        Map<String, Double> byTier = CacheLookups.sumOf(List.of(scrape)).byTier();
        double requests = 0;
        Double l1Size = null;
        String breaker = null;
        for (Sample sample : scrape.samples()) {
            Map<String, String> labels = sample.labels();
            switch (sample.name()) {
                case HTTP_REQUESTS -> {
                    // the live view's own scrapes, health checks: not the API's traffic
                    if (!labels.getOrDefault("uri", "").startsWith("/actuator")) {
                        requests += sample.value();
                    }
                }
                case CAFFEINE_SIZE -> {
                    if (CachebusAutoConfiguration.L1_CACHE_NAME.equals(labels.get("cache"))) {
                        l1Size = (l1Size == null ? 0 : l1Size) + sample.value();
                    }
                }
                case BREAKER_STATE -> {
                    // one sample per state, 1 for the current one
                    if (CachebusAutoConfiguration.REDIS_BREAKER.equals(labels.get("name")) && sample.value() == 1) {
                        breaker = labels.get("state");
                    }
                }
                default -> {
                }
            }
        }
        return new NodeSample(requests, tier(byTier, Tier.L1), tier(byTier, Tier.L2_REDIS) + tier(byTier,
                Tier.L2_FALLBACK), tier(byTier, Tier.LOADER), Optional.ofNullable(l1Size),
                scrape.sum(EVICTIONS_APPLIED), scrape.sum(PROPAGATION + "_count"), scrape.sum(PROPAGATION + "_sum"),
                Optional.ofNullable(breaker), scrape.sum(SUBSCRIPTION_ASSIGNMENTS));
    }

    private static double tier(Map<String, Double> byTier, Tier tier) {
        return byTier.getOrDefault(tier.name().toUpperCase(Locale.ROOT), 0.0);
    }

    /** The Prometheus name of a cachebus counter: {@code cachebus.evictions.received} is exposed with {@code _total}. */
    private static String counter(CachebusMeter meter) {
        return meter.meterName().replace('.', '_') + "_total";
    }
}
