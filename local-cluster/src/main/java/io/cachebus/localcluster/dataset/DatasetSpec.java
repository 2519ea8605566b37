package io.cachebus.localcluster.dataset;

import java.util.Locale;

/**
 * The shape of the realistic dataset: how many tenants, and how big the largest is; the others shrink with their rank
 * as Zipf's law says (the tenant of rank {@code r} holds {@code largest / r^zipfExponent} of each, at least one).
 *
 * @param tenants                   tenants (default 1,000)
 * @param largestTenantWorkflows    workflows of the largest tenant (default 10,000)
 * @param stepsPerWorkflow          steps of every workflow (default 5)
 * @param largestTenantNotifications notifications of the largest tenant (default 200,000)
 * @param unreadShare               the share of notifications still unread (default 0.2)
 * @param zipfExponent              how fast tenants shrink with their rank (default 1.0)
 * @param seed                      the seed of every random choice, so two generations are the same dataset
 */
public record DatasetSpec(int tenants, int largestTenantWorkflows, int stepsPerWorkflow,
        int largestTenantNotifications, double unreadShare, double zipfExponent, long seed) {

    /** Changes whenever what is generated for the same spec changes: an older dataset is then generated again. */
    static final int GENERATOR_VERSION = 1;

    public DatasetSpec {
        if (tenants < 1 || largestTenantWorkflows < 1 || stepsPerWorkflow < 0 || largestTenantNotifications < 1) {
            throw new IllegalArgumentException("at least one tenant, workflow and notification; no negative steps");
        }
        if (unreadShare < 0 || unreadShare > 1 || !(zipfExponent >= 0)) {
            throw new IllegalArgumentException("an unread share from 0 to 1 and a non-negative Zipf exponent");
        }
    }

    /** 1,000 tenants, the largest with 10,000 workflows of 5 steps and 200,000 notifications, Zipf exponent 1. */
    public static DatasetSpec standard() {
        return new DatasetSpec(1_000, 10_000, 5, 200_000, 0.2, 1.0, 20_261_205L);
    }

    public DatasetSpec withTenants(int count) {
        return new DatasetSpec(count, largestTenantWorkflows, stepsPerWorkflow, largestTenantNotifications, unreadShare,
                zipfExponent, seed);
    }

    public DatasetSpec withLargestTenant(int workflows, int notifications) {
        return new DatasetSpec(tenants, workflows, stepsPerWorkflow, notifications, unreadShare, zipfExponent, seed);
    }

    /** What the tenant of {@code rank} (1 = the largest) holds of something the largest holds {@code largest} of. */
    public int sizeAt(int rank, int largest) {
        return (int) Math.max(1, Math.round(largest / Math.pow(rank, zipfExponent)));
    }

    /** The tenant id of {@code rank} (1 = the largest). */
    public static String tenantId(int rank) {
        return String.format(Locale.ROOT, "ds-%05d", rank);
    }

    /** The key a generated dataset is stored under: another spec (or generator) is another dataset. */
    String marker() {
        return String.format(Locale.ROOT, "v%d;tenants=%d;workflows=%d;steps=%d;notifications=%d;unread=%s;zipf=%s;seed=%d",
                GENERATOR_VERSION, tenants, largestTenantWorkflows, stepsPerWorkflow, largestTenantNotifications,
                unreadShare, zipfExponent, seed);
    }
}
