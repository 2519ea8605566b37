package io.cachebus.client.internal.eviction;

/**
 * The node's subscription to the eviction broadcasts as seen from outside the transport, so that what reports on it
 * (the health indicator) loads without Kafka on the classpath.
 */
public interface EvictionSubscription {

    /** How many times the subscription was assigned partitions since start (1 after a normal start). */
    int assignments();
}
