package io.cachebus.loadtest.deployment;

/**
 * Stops and starts the invalidator instances, so the throughput of one instance can be measured on a backlog
 * that is already in Kafka rather than at the speed the harness produces events.
 */
public interface InvalidatorControl {

    /** Stops every invalidator instance (they leave the consumer group; committed offsets stay). */
    void stopAll();

    /** Starts exactly one instance, which then has the whole group's work to itself. */
    void startOne();

    /** Starts every instance that is not running, restoring the group as it was. */
    void startAll();
}
