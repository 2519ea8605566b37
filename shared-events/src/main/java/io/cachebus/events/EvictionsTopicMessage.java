package io.cachebus.events;

/**
 * What the evictions topic carries: an {@link EvictionBroadcast} (one group's scopes to evict), an
 * {@link InvalidationProgress} (how far the invalidator has come) or an {@link EvictionBatch} (a batch's scopes and
 * the progress they bring, in one record). {@link EventCodec#decodeEvictionsTopic} reads each of them.
 */
public sealed interface EvictionsTopicMessage permits EvictionBroadcast, InvalidationProgress, EvictionBatch {
}
