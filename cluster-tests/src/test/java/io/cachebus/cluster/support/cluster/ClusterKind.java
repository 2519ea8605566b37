package io.cachebus.cluster.support.cluster;

import io.cachebus.cluster.support.faults.InvalidatorTestHooks;
import io.cachebus.cluster.support.faults.NodeTestHooks;
import io.cachebus.localcluster.ClusterOptions;

/**
 * The two clusters of the suite. Each has three API nodes and two invalidators in one consumer group, a
 * redis-server and an H2 database of its own; only one runs at a time (test classes are ordered by kind). The
 * outage cluster has a fourth API node, and runs it and its first invalidator each in a JVM of its own, to be killed.
 */
public enum ClusterKind {

    /** The production defaults (the generation strategy); nothing is ever broken on it. */
    GENERATION_STRATEGY {
        @Override
        ClusterOptions options() {
            return common();
        }
    },

    /**
     * The invalidators on the SCAN+UNLINK strategy (which deletes by glob, where tenant isolation matters most);
     * tests stop and start its components. Breakers and redelivery back off for seconds instead of tens of seconds,
     * so an outage is over soon after its cause is: correctness does not depend on those delays. The outbox gives
     * Kafka one second per send instead of ten: an outage then outlasts the producer's own retries, and the rows must
     * be sent again by the relay, which is what the outbox is for. Other nodes send a row left unsent for 2 s instead of
     * 10 s (a node that died after its commits). A node's read-your-writes marker lasts five minutes
     * instead of thirty seconds: within a test it then ends only when the broadcast of its write arrives, which makes
     * "this write's invalidation came back" observable per write.
     */
    SCAN_STRATEGY_WITH_OUTAGES {
        @Override
        ClusterOptions options() {
            return common()
                    .withInvalidatorProperty("cachebus.invalidator.strategy", "scan")
                    .withInvalidatorProperty("cachebus.invalidator.redelivery.max-interval", "2s")
                    .withInvalidatorProperty("cachebus.invalidator.redis-reconnect-max-delay", "1s")
                    .withInvalidatorProperty("resilience4j.circuitbreaker.configs.invalidator.wait-duration-in-open-state", "2s")
                    .withApiProperty("cachebus.l2.breaker.wait-duration-in-open-state", "1s")
                    .withApiProperty("cachebus.outbox.send-timeout", "1s")
                    .withApiProperty("cachebus.outbox.orphan-after", "2s")
                    .withApiProperty("cachebus.read-your-writes.max-wait", "5m")
                    // a killed invalidator's partitions move to its partner after this long (6 s: the broker's least)
                    .withInvalidatorProperty("spring.kafka.consumer.properties.session.timeout.ms", "6000")
                    .withInvalidatorProperty("spring.kafka.consumer.properties.heartbeat.interval.ms", "1000")
                    // the drills crash these two with SIGKILL: a fourth API node and the first invalidator
                    .withApiNodes(4)
                    .withSeparateJvm(TestCluster.CRASHABLE_API_NODE, TestCluster.CRASHABLE_INVALIDATOR);
        }
    };

    abstract ClusterOptions options();

    private static ClusterOptions common() {
        return ClusterOptions.defaults()
                .withApiNodes(3)
                .withInvalidators(2)
                .withApiProperty("spring.main.sources", NodeTestHooks.class.getName())
                .withApiProperty("spring.main.banner-mode", "off")
                .withInvalidatorProperty("spring.main.banner-mode", "off")
                .withInvalidatorProperty("spring.main.sources", InvalidatorTestHooks.class.getName())
                .withInvalidatorProperty(InvalidatorTestHooks.DIRECTORY_PROPERTY,
                        InvalidatorTestHooks.directory().toString())
                // Entries outlive every test: only an invalidation can make a node see a write, never an expiry.
                .withApiProperty("cachebus.l1.ttl", "10m")
                .withApiProperty("cachebus.fallback.ttl", "10m");
    }
}
