package io.cachebus.cluster.outage;

import io.cachebus.client.internal.outbox.OutboxRelay;
import io.cachebus.cluster.support.cluster.ApiNode;
import io.cachebus.cluster.support.cluster.TestCluster;
import io.cachebus.cluster.support.faults.InvalidatorTestHooks;
import io.cachebus.localcluster.ClusterFault;
import io.cachebus.localcluster.ServiceInstance;
import java.time.Duration;

/**
 * A component of the cluster going away while clients keep working, and coming back (inflicted and healed as the
 * local cluster's fault catalogue, {@link ClusterFault}, says, but for the death between commit and send, which only
 * the suite's hooks can make). Each is drilled once per run
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
            cluster.fault(ClusterFault.KAFKA_STOPPED, null).inflict();
        }

        @Override
        void end(TestCluster cluster, Traffic traffic) {
            cluster.fault(ClusterFault.KAFKA_STOPPED, null).heal();
        }
    },

    /** redis-server is killed (SIGKILL) and started again empty: nodes read through their fallback meanwhile. */
    REDIS_DOWN("Redis down", false, Duration.ZERO) {
        @Override
        void begin(TestCluster cluster, Traffic traffic) {
            cluster.fault(ClusterFault.REDIS_KILLED, null).inflict();
        }

        @Override
        void end(TestCluster cluster, Traffic traffic) {
            cluster.fault(ClusterFault.REDIS_KILLED, null).heal();
        }
    },

    /**
     * One of the two invalidators (the one in a JVM of its own) is killed with SIGKILL in the middle of a batch of
     * the drill's writes: its Redis work for a group is done, the batch's broadcast and offset commit are not (the
     * suite's hook holds it there; the drill's tenant is one whose events all go to that invalidator's partitions).
     * Its partner takes the partitions over once the session times out and must redo the batch, so the
     * invalidations must all be done before the killed one comes back (which it then does, for the next drill).
     */
    INVALIDATOR_KILLED("one invalidator killed mid-batch (SIGKILL)", true, Duration.ZERO) {
        @Override
        String tenant(TestCluster cluster) {
            return cluster.tenantConsumedBy(cluster.crashableInvalidator(), "drill");
        }

        @Override
        void begin(TestCluster cluster, Traffic traffic) {
            ServiceInstance victim = cluster.crashableInvalidator();
            InvalidatorTestHooks.Control hooks = cluster.invalidatorHooks();
            hooks.hold(victim.name());
            try {
                long deadline = System.nanoTime() + MID_BATCH_WAIT.toNanos();
                while (!hooks.isHoldingOne(victim.name())) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(victim + " held no invalidation within " + MID_BATCH_WAIT);
                    }
                    OutageDrills.sleep(Duration.ofMillis(10));
                }
                String where = victim.toString();
                cluster.fault(ClusterFault.SERVICE_KILLED, victim).inflict();
                System.out.printf("drill: killed %s while it held an invalidation (Redis done, broadcast and commit"
                        + " not)%n", where);
            } finally {
                hooks.release(victim.name());
            }
        }

        @Override
        void end(TestCluster cluster, Traffic traffic) {
            cluster.fault(ClusterFault.SERVICE_KILLED, cluster.crashableInvalidator()).heal();
        }
    },

    /**
     * The API node in a JVM of its own is taken out of the load balancer's rotation and killed with SIGKILL, then
     * started again and put back: it comes back with nothing cached and must not miss what happened meanwhile.
     */
    API_NODE_KILLED("one API node killed (SIGKILL) and restarted", false, Duration.ZERO) {
        @Override
        void begin(TestCluster cluster, Traffic traffic) {
            ApiNode node = cluster.crashableApiNode();
            traffic.takeOutOfRotation(node);
            cluster.fault(ClusterFault.SERVICE_KILLED, node.instance()).inflict();
        }

        @Override
        void end(TestCluster cluster, Traffic traffic) {
            ApiNode node = cluster.crashableApiNode();
            cluster.fault(ClusterFault.SERVICE_KILLED, node.instance()).heal();
            traffic.putBackIntoRotation(node);
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

    /** How long the invalidator drill may take to catch its victim inside an invalidation. */
    private static final Duration MID_BATCH_WAIT = Duration.ofSeconds(20);

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

    /** The drill's tenant (a fresh one, unless the outage needs one of a kind). */
    String tenant(TestCluster cluster) {
        return TestCluster.newTenant("drill");
    }

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
                && cluster.everyApiNode().stream().allMatch(ApiNode::isRunning);
    }

    @Override
    public String toString() {
        return description;
    }
}
