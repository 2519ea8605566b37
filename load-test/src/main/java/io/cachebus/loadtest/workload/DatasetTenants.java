package io.cachebus.loadtest.workload;

import io.cachebus.localcluster.dataset.DatasetSpec;
import io.cachebus.localcluster.dataset.DatasetSummary;
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
        int wanted = Math.min(count, dataset.tenants());
        ZipfKeySampler sampler = new ZipfKeySampler(dataset.tenants(), dataset.spec().zipfExponent(), seed);
        Set<String> chosen = new LinkedHashSet<>();
        for (long draws = 0; chosen.size() < wanted && draws < (long) DRAWS_PER_TENANT * wanted; draws++) {
            chosen.add(DatasetSpec.tenantId(sampler.nextRank() + 1));
        }
        for (int rank = 1; chosen.size() < wanted; rank++) {
            chosen.add(DatasetSpec.tenantId(rank));
        }
        return List.copyOf(chosen);
    }
}
