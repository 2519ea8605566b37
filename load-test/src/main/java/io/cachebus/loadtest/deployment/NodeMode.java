package io.cachebus.loadtest.deployment;

/** How a set of API nodes is configured, for the phases that compare against a switched-off feature. */
public enum NodeMode {
    /** As deployed: caching on, mutations published for invalidation. */
    NORMAL,
    /** Caching on, but writes publish nothing: the baseline that shows what invalidation costs a write. */
    INVALIDATION_OFF,
    /** Every read goes to the database: the baseline that shows what the cache buys a read. */
    CACHE_OFF
}
