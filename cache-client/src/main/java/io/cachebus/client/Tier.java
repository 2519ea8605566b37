package io.cachebus.client;

/** Where a read was answered from. */
public enum Tier {
    /** The node's local Caffeine cache. */
    L1,
    /** The shared Redis cache. */
    L2_REDIS,
    /** The node's in-memory stand-in for Redis, used while Redis is not configured or not reachable. */
    L2_FALLBACK,
    /** Neither: the loader ran (the database was read). */
    LOADER
}
