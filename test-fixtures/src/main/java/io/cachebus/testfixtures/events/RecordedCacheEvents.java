package io.cachebus.testfixtures.events;

import io.cachebus.client.Tier;
import io.cachebus.client.event.CacheEvent;
import io.cachebus.client.event.CacheEventListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * Every event one node's tiered cache reported, so a test can tell which tier answered a request on that node. A test
 * registers it as a bean of the node it starts.
 */
public final class RecordedCacheEvents implements CacheEventListener {

    private final List<CacheEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(CacheEvent event) {
        events.add(event);
    }

    /** How many events so far: a mark to look only at what comes after it. */
    public int mark() {
        return events.size();
    }

    /** Every event so far, oldest first. */
    public List<CacheEvent> all() {
        return List.copyOf(events);
    }

    /**
     * The tiers that answered lookups of {@code resource} (a path without its query) for {@code tenant}, oldest
     * first.
     */
    public List<Tier> tiers(String tenant, String resource) {
        return tiersSince(0, tenant, resource);
    }

    public List<Tier> tiersSince(int mark, String tenant, String resource) {
        return lookupsSince(mark, e -> e.key().tenant().equals(tenant) && e.key().resource().equals(resource))
                .stream().map(CacheEvent.Lookup::tier).toList();
    }

    /** The tiers that answered any lookup for {@code tenant}, oldest first. */
    public List<Tier> tiers(String tenant) {
        return lookupsSince(0, tenant).stream().map(CacheEvent.Lookup::tier).toList();
    }

    /** The tier of the latest lookup of {@code resource} for {@code tenant}. */
    public Tier lastTier(String tenant, String resource) {
        List<Tier> tiers = tiers(tenant, resource);
        if (tiers.isEmpty()) {
            throw new AssertionError("no lookup of " + resource + " for tenant " + tenant + " was recorded");
        }
        return tiers.get(tiers.size() - 1);
    }

    /** Every lookup of {@code tenant} since {@code mark}. */
    public List<CacheEvent.Lookup> lookupsSince(int mark, String tenant) {
        return lookupsSince(mark, e -> e.key().tenant().equals(tenant));
    }

    private List<CacheEvent.Lookup> lookupsSince(int mark, Predicate<CacheEvent.Lookup> filter) {
        List<CacheEvent> snapshot = List.copyOf(events);
        return snapshot.subList(Math.min(mark, snapshot.size()), snapshot.size()).stream()
                .filter(e -> e instanceof CacheEvent.Lookup)
                .map(e -> (CacheEvent.Lookup) e)
                .filter(filter)
                .toList();
    }
}
