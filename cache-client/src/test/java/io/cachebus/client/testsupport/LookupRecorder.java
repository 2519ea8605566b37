package io.cachebus.client.testsupport;

import io.cachebus.client.Tier;
import io.cachebus.client.event.CacheEvent;
import io.cachebus.client.event.CacheEventListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records the cache's events; lookups also per thread (listeners run on the reading thread). */
public final class LookupRecorder implements CacheEventListener {

    private final ThreadLocal<Tier> lastTier = new ThreadLocal<>();
    private final List<CacheEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(CacheEvent event) {
        events.add(event);
        if (event instanceof CacheEvent.Lookup lookup) {
            lastTier.set(lookup.tier());
        }
    }

    /** The tier of the last lookup on this thread, cleared by the call. */
    public Tier takeLastTier() {
        Tier tier = lastTier.get();
        lastTier.remove();
        return tier;
    }

    public List<CacheEvent> events() {
        return List.copyOf(events);
    }

    public List<CacheEvent.StaleStoreRefused> staleStoresRefused() {
        return events.stream().filter(CacheEvent.StaleStoreRefused.class::isInstance)
                .map(CacheEvent.StaleStoreRefused.class::cast).toList();
    }

    public void clear() {
        events.clear();
    }
}
