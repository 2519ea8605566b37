package io.cachebus.client.event;

/** Observes the tiered cache; beans of this type are picked up by the auto-configuration. Must not block. */
@FunctionalInterface
public interface CacheEventListener {

    void onEvent(CacheEvent event);
}
