package io.cachebus.loadtest.workload;

import io.cachebus.localcluster.dataset.DatasetSpec;
import io.cachebus.localcluster.dataset.DatasetSummary;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The tenants a run's load goes to when the database holds the realistic dataset: tenants of the dataset, drawn Zipf
 * over their ranks with the dataset's own exponent, so the large tenants (whose unread counts, lists and step joins
 * cost most) are drawn as often as their share of the traffic says.
 */
public final class DatasetTenants {

    /** Draws per tenant asked for before the rest are taken in rank order (a Zipf tail is slow to collect). */
    private static final int DRAWS_PER_TENANT = 50;

    private DatasetTenants() {
    }

    /** {@code count} distinct tenants of {@code dataset} (all of them if it has fewer), in the order drawn. */
    public static List<String> draw(DatasetSummary dataset, int count, long seed) {
        return draw(dataset, count, seed, Set.of());
    }

    /**
     * {@code count} distinct tenants of {@code dataset} other than {@code excluded} (all the others if there are
     * fewer), in the order drawn.
     */
    public static List<String> draw(DatasetSummary dataset, int count, long seed, Set<String> excluded) {
        int wanted = Math.min(count, dataset.tenants());
        ZipfKeySampler sampler = new ZipfKeySampler(dataset.tenants(), dataset.spec().zipfExponent(), seed);
        Set<String> chosen = new LinkedHashSet<>();
        for (long draws = 0; chosen.size() < wanted && draws < (long) DRAWS_PER_TENANT * wanted; draws++) {
            String tenant = DatasetSpec.tenantId(sampler.nextRank() + 1);
            if (!excluded.contains(tenant)) {
                chosen.add(tenant);
            }
        }
        for (int rank = 1; chosen.size() < wanted && rank <= dataset.tenants(); rank++) {
            String tenant = DatasetSpec.tenantId(rank);
            if (!excluded.contains(tenant)) {
                chosen.add(tenant);
            }
        }
        return List.copyOf(chosen);
    }

    /**
     * {@code hands} disjoint sets of {@code count} tenants each (fewer when the dataset runs out), other than
     * {@code excluded}: one draw of them all, dealt in turn, so every hand gets large and small tenants alike rather
     * than the first taking the largest.
     */
    public static List<List<String>> deal(DatasetSummary dataset, int count, int hands, long seed,
            Set<String> excluded) {
        List<String> drawn = draw(dataset, count * hands, seed, excluded);
        List<List<String>> dealt = new ArrayList<>();
        for (int hand = 0; hand < hands; hand++) {
            dealt.add(new ArrayList<>());
        }
        for (int i = 0; i < drawn.size(); i++) {
            dealt.get(i % hands).add(drawn.get(i));
        }
        return dealt.stream().map(List::copyOf).toList();
    }
}
