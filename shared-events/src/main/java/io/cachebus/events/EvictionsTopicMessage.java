package io.cachebus.events;

/**
 * What the evictions topic carries: an {@link EvictionBroadcast} (scopes to evict) or an
 * {@link InvalidationProgress} (how far the invalidator has come). {@link EventCodec#decodeEvictionsTopic} reads
 * either.
 */
public sealed interface EvictionsTopicMessage permits EvictionBroadcast, InvalidationProgress {
}
