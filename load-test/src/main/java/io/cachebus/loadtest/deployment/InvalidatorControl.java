package io.cachebus.loadtest.deployment;

/**
 * Stops and starts the invalidator instances, so the throughput of one instance, or of several, can be measured on
 * a backlog that is already in Kafka rather than at the speed the harness produces events.
 */
public interface InvalidatorControl {

    /** How many instances the group has when all run. */
    int instances();

    /** The consumer group the instances share, whose committed offsets show how far they got. */
    String consumerGroup();

    /** Stops every invalidator instance (they leave the consumer group; committed offsets stay). */
    void stopAll();

    /**
     * Starts the first {@code count} instances (those not running) and returns once the group's partitions are
     * shared among the running ones.
     */
    void start(int count);

    /** Holds every running instance's consumer: it keeps its partitions but fetches nothing until {@link #resume()}. */
    void pause();

    /** Lets paused consumers fetch again. */
    void resume();

    /** Starts exactly one instance, which then has the whole group's work to itself. */
    default void startOne() {
        start(1);
    }

    /** Starts every instance that is not running, restoring the group as it was. */
    default void startAll() {
        start(instances());
    }
}
