package io.cachebus.loadtest.measure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Cache lookups counted by the API nodes ({@code cachebus.cache.lookups{tier}}, exposed to Prometheus as
 * {@code cachebus_cache_lookups_total}), summed over the nodes and grouped by the tier that answered. A lookup
 * answered by the loader (the database) is a miss; one answered by L1 or by either L2 is a hit.
 */
public record CacheLookups(Map<String, Double> byTier) {

    public static final String METRIC = "cachebus_cache_lookups_total";
    public static final String TIER_LABEL = "tier";
    /** The tier of a miss, as {@code io.cachebus.client.Tier#LOADER} names it. */
    public static final String MISS_TIER = "LOADER";

    public CacheLookups {
        byTier = Map.copyOf(byTier);
    }

    public static CacheLookups sumOf(List<PrometheusSamples> scrapes) {
        Map<String, Double> sums = new LinkedHashMap<>();
        for (PrometheusSamples scrape : scrapes) {
            scrape.sumBy(METRIC, TIER_LABEL).forEach((tier, value) ->
                    sums.merge(tier.toUpperCase(Locale.ROOT), value, Double::sum));
        }
        return new CacheLookups(sums);
    }

    /** The lookups counted since {@code earlier}, a scrape of the same nodes. */
    public CacheLookups since(CacheLookups earlier) {
        Map<String, Double> delta = new LinkedHashMap<>();
        byTier.forEach((tier, value) -> delta.put(tier, value - earlier.byTier().getOrDefault(tier, 0.0)));
        return new CacheLookups(delta);
    }

    public double total() {
        return byTier.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** Hits over all lookups; empty when no lookup was counted (or the nodes expose no such metric). */
    public OptionalDouble hitRatio() {
        double total = total();
        if (total <= 0) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of((total - byTier.getOrDefault(MISS_TIER, 0.0)) / total);
    }
}
