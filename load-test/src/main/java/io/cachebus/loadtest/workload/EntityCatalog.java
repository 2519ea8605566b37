package io.cachebus.loadtest.workload;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The entities of a run in popularity order: index 0 is the hottest. The order is a seeded shuffle of the
 * creation order, so the hot entities are spread over tenants and both domains instead of all belonging to the
 * first tenant created.
 */
public final class EntityCatalog {

    private final List<EntityRef> byPopularity;

    private EntityCatalog(List<EntityRef> byPopularity) {
        this.byPopularity = List.copyOf(byPopularity);
    }

    public static EntityCatalog shuffled(List<EntityRef> created, long seed) {
        if (created.isEmpty()) {
            throw new IllegalArgumentException("a catalog needs at least one entity");
        }
        List<EntityRef> order = new ArrayList<>(created);
        Collections.shuffle(order, new Random(seed));
        return new EntityCatalog(order);
    }

    public int size() {
        return byPopularity.size();
    }

    /** The entity of popularity {@code rank} (0 = hottest). */
    public EntityRef byRank(int rank) {
        return byPopularity.get(rank);
    }

    /** The {@code count} hottest entities. */
    public List<EntityRef> hottest(int count) {
        return byPopularity.subList(0, Math.min(count, byPopularity.size()));
    }

    public List<EntityRef> all() {
        return byPopularity;
    }
}
