package io.cachebus.api.testing;

import io.cachebus.client.Tier;
import io.cachebus.client.event.CacheEvent;
import io.cachebus.client.event.CacheEventListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Every lookup the node's tiered cache made, so a test can tell which tier answered a request. */
public final class RecordingCacheEvents implements CacheEventListener {

    private final List<CacheEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(CacheEvent event) {
        events.add(event);
    }

    /** The tiers that answered lookups of {@code resource} (a path without query) for {@code tenant}, oldest first. */
    public List<Tier> tiers(String tenant, String resource) {
        return events.stream()
                .filter(e -> e instanceof CacheEvent.Lookup)
                .map(e -> (CacheEvent.Lookup) e)
                .filter(e -> e.key().tenant().equals(tenant) && e.key().resource().equals(resource))
                .map(CacheEvent.Lookup::tier)
                .toList();
    }

    /** The tiers that answered any lookup for {@code tenant}, oldest first. */
    public List<Tier> tiers(String tenant) {
        return events.stream()
                .filter(e -> e instanceof CacheEvent.Lookup && e.key().tenant().equals(tenant))
                .map(e -> ((CacheEvent.Lookup) e).tier())
                .toList();
    }

    public List<CacheEvent> all() {
        return List.copyOf(events);
    }
}
