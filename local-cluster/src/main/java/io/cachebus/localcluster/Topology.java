package io.cachebus.localcluster;

/** Where the local cluster's parts run. */
public enum Topology {

    /**
     * Kafka and every service in the starting JVM (but those {@link ClusterOptions#separateJvm()} names, which get
     * {@link JvmFlags#DRILL} JVMs): quick to start, beans open to tests; its figures measure the one JVM.
     */
    IN_JVM,

    /**
     * Production's shape on loopback: the Kafka broker in a JVM of its own, redis-server with production's memory
     * settings, every API node and invalidator in a JVM of its own with the images' flags ({@link JvmFlags#IMAGE}),
     * each optionally pinned to CPUs ({@link ClusterOptions#placement()}); the starting JVM (the load generator)
     * runs none of them.
     */
    PROCESSES
}
