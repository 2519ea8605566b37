package io.cachebus.cluster.outage;

import io.cachebus.client.outbox.OutboxRelay;
import io.cachebus.cluster.support.ApiNode;
import io.cachebus.cluster.support.TestCluster;
import io.cachebus.loadtest.cluster.ServiceInstance;
import java.time.Duration;

/**
 * A component of the cluster going away while clients keep working, and coming back. Each is drilled once per run
 * ({@link OutageDrills}) and judged by two invariants: nothing lost, and no cost to users.
 */
public enum Outage {

    /**
     * The broker stops listening: writes go into the outbox, nothing is relayed, consumed or broadcast. It stays down
     * for a while after the last write: long enough for every outbox relay (whose sends time out after 1 s on this
     * cluster, and which backs off after each failure) to have tried every row of the outage and failed, so no
     * write of the outage can reach Kafka through the producer's own retries, only through the outbox.
     */
    KAFKA_DOWN("Kafka down", false, Duration.ofSeconds(5)) {
        @Override
        void begin(TestCluster cluster, Traffic traffic) {
            cluster.kafka().stop();
        }

        @Override
        void end(TestCluster cluster, Traffic traffic) {
            cluster.kafka().resume();
        }
    },

    /** redis-server is killed (SIGKILL) and started again empty: nodes read through their fallback meanwhile. */
    REDIS_DOWN("Redis down", false, Duration.ZERO) {
        @Override
        void begin(TestCluster cluster, Traffic traffic) {
            cluster.redis().server().kill();
        }

        @Override
        void end(TestCluster cluster, Traffic traffic) {
            cluster.redis().server().restart();
        }
    },

    /**
     * One of the two invalidators is stopped while events flow; the other takes its partitions over, so the
     * invalidations must all be done before the stopped one comes back (which it then does, for the next drill).
     */
    INVALIDATOR_KILLED("one invalidator killed", true, Duration.ZERO) {
        @Override
        void begin(TestCluster cluster, Traffic traffic) {
            cluster.invalidators().get(0).stop();
        }

        @Override
        void end(TestCluster cluster, Traffic traffic) {
            cluster.invalidators().get(0).start();
        }
    },

    /**
     * One API node is taken out of the load balancer's rotation, stopped and started again, then put back: it
     * comes back with nothing cached and must not miss what happened meanwhile.
     */
    API_NODE_RESTARTED("one API node restarted", false, Duration.ZERO) {
        @Override
        void begin(TestCluster cluster, Traffic traffic) {
            ApiNode node = restarted(cluster);
            traffic.takeOutOfRotation(node);
            node.instance().stop();
        }

        @Override
        void end(TestCluster cluster, Traffic traffic) {
            ApiNode node = restarted(cluster);
            node.instance().start();
            traffic.putBackIntoRotation(node);
        }

        private ApiNode restarted(TestCluster cluster) {
            return cluster.apiNode(cluster.apiNodes().size() - 1);
        }
    },

    /**
     * One API node dies between its commits and sending them: its outbox relay stops first, every write goes to that
     * node meanwhile (so they are the last writes of their domains, and nothing later makes up for them), then the
     * node stops. Its rows are left in the shared outbox; the other nodes must send them once they are older than
     * {@code cachebus.outbox.orphan-after}, before the node is back. Then it starts again.
     */
    API_NODE_DIES_BEFORE_SENDING("one API node dead between commit and send", true, Duration.ofSeconds(1)) {
        @Override
        void begin(TestCluster cluster, Traffic traffic) {
            ApiNode node = doomed(cluster);
            node.bean(OutboxRelay.class).stop();
            traffic.pinWritesTo(node);
        }

        @Override
        void afterTraffic(TestCluster cluster, Traffic traffic) {
            ApiNode node = doomed(cluster);
            traffic.pinWritesTo(null);
            traffic.takeOutOfRotation(node);
            node.instance().stop();
        }

        @Override
        void end(TestCluster cluster, Traffic traffic) {
            ApiNode node = doomed(cluster);
            node.instance().start();
            traffic.putBackIntoRotation(node);
        }

        private ApiNode doomed(TestCluster cluster) {
            return cluster.apiNode(1);
        }
    };

    private final String description;
    private final boolean invalidatesWhileDown;
    private final Duration quietBeforeRecovery;

    Outage(String description, boolean invalidatesWhileDown, Duration quietBeforeRecovery) {
        this.description = description;
        this.invalidatesWhileDown = invalidatesWhileDown;
        this.quietBeforeRecovery = quietBeforeRecovery;
    }

    abstract void begin(TestCluster cluster, Traffic traffic);

    abstract void end(TestCluster cluster, Traffic traffic);

    /** What happens between the end of the traffic and the quiet time (nothing, unless an outage says so). */
    void afterTraffic(TestCluster cluster, Traffic traffic) {
    }

    /** Whether the cluster must catch up before the component is back (its peers cover for it), not only after. */
    boolean invalidatesWhileDown() {
        return invalidatesWhileDown;
    }

    /** How long the component stays away after the traffic stopped, before it comes back. */
    Duration quietBeforeRecovery() {
        return quietBeforeRecovery;
    }

    /** Every running service of the cluster is back, whatever was stopped. */
    static boolean allRunning(TestCluster cluster) {
        return cluster.kafka().isRunning() && cluster.redis().server().isRunning()
                && cluster.invalidators().stream().allMatch(ServiceInstance::isRunning)
                && cluster.apiNodes().stream().allMatch(ApiNode::isRunning);
    }

    @Override
    public String toString() {
        return description;
    }
}
