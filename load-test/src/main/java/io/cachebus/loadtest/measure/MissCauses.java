package io.cachebus.loadtest.measure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the API nodes counted, summed over them, that says why reads missed the caches during a window: the loader's
 * runs by domain, the reads the staleness bound sent to the database, the loaded values not stored because a write
 * invalidated their scope meanwhile, the reads that left Redis out (a writer's reads of its own write before its
 * invalidation is back, scopes Redis missed an invalidation of), and the events that drop a node's whole L1 (a gap in
 * an evictions partition, a new assignment of the eviction subscription). Not a figure: what the hit ratio is made of.
 *
 * @param loaderRunsByDomain reads the loader answered (cache misses), by domain
 * @param lookupsByTier      every lookup, by the tier that answered it
 * @param counters           every other counter's increase, by its Prometheus name
 */
public record MissCauses(Map<String, Double> loaderRunsByDomain, Map<String, Double> lookupsByTier,
        Map<String, Double> counters) {

    /** The counters read besides the lookups, under the names Prometheus gives the nodes' meters. */
    static final List<String> COUNTERS = List.of(
            "cachebus_consistency_read_through_total",
            "cachebus_consistency_bound_not_enforced_total",
            "cachebus_cache_stale_refused_total",
            "cachebus_cache_l2_skipped_total",
            "cachebus_evictions_gaps_total",
            "cachebus_evictions_reassignments_total",
            "cachebus_evictions_received_total",
            "cachebus_cache_fallbacks_total",
            "cachebus_cache_loads_total");

    public MissCauses {
        loaderRunsByDomain = Map.copyOf(loaderRunsByDomain);
        lookupsByTier = Map.copyOf(lookupsByTier);
        counters = Map.copyOf(counters);
    }

    /** The increase of each counter from {@code before} to {@code after}, scrapes of the same nodes in order. */
    public static MissCauses between(List<PrometheusSamples> before, List<PrometheusSamples> after) {
        Map<String, Double> loaderRuns = new LinkedHashMap<>();
        Map<String, Double> counters = new LinkedHashMap<>();
        for (int i = 0; i < after.size(); i++) {
            missesByDomain(after.get(i)).forEach((domain, value) -> loaderRuns.merge(domain, value, Double::sum));
            missesByDomain(before.get(i)).forEach((domain, value) -> loaderRuns.merge(domain, -value, Double::sum));
            for (String counter : COUNTERS) {
                counters.merge(counter, after.get(i).sum(counter) - before.get(i).sum(counter), Double::sum);
            }
        }
        return new MissCauses(loaderRuns, CacheLookups.sumOf(after).since(CacheLookups.sumOf(before)).byTier(),
                counters);
    }

    /**
     * The reads the nodes answered without asking Redis: from the in-memory fallback (an error, an open breaker) or
     * leaving Redis out on purpose (a writer's own write, a scope Redis missed an invalidation of). What they loaded
     * went into that node's caches only.
     */
    public double readsWithoutRedis() {
        return counters.getOrDefault("cachebus_cache_fallbacks_total", 0.0)
                + counters.getOrDefault("cachebus_cache_l2_skipped_total", 0.0);
    }

    private static Map<String, Double> missesByDomain(PrometheusSamples scrape) {
        Map<String, Double> byDomain = new LinkedHashMap<>();
        for (PrometheusSamples.Sample sample : scrape.samples()) {
            if (sample.name().equals(CacheLookups.METRIC)
                    && CacheLookups.MISS_TIER.equalsIgnoreCase(sample.labels().get(CacheLookups.TIER_LABEL))) {
                byDomain.merge(sample.labels().getOrDefault("domain", ""), sample.value(), Double::sum);
            }
        }
        return byDomain;
    }
}
