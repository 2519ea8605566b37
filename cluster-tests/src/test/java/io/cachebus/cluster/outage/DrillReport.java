package io.cachebus.cluster.outage;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What one outage drill saw.
 *
 * @param outage       what was broken
 * @param healthy      the exchanges of one full traffic cycle before the outage: the normal status and body of each
 *                     kind of request
 * @param duringOutage every exchange from just before the component went away until it was back
 * @param recovery     the cluster's state once it had caught up (or when the drill stopped waiting for it)
 */
public record DrillReport(Outage outage, List<Exchange> healthy, List<Exchange> duringOutage,
        Recovery recovery) {

    /**
     * The cluster after the outage.
     *
     * @param took             from the component being back (or, for an invalidator, from its stop) to the last check
     * @param differences      what any node showed that differs from the acknowledged writes (empty: every write is
     *                         visible on every node)
     * @param unsentOutboxRows outbox rows not yet acknowledged by Kafka, counted in the database
     * @param outboxGauges     each node's {@code cachebus.outbox.pending} gauge
     * @param invalidatorLag   mutation records the invalidator group has not committed
     * @param awaitingBroadcast per node, the drill tenant's domains with a write of that node whose invalidation has
     *                          not come back to it as a broadcast (the node reads past Redis for them meanwhile)
     */
    public record Recovery(Duration took, List<String> differences, long unsentOutboxRows,
            Map<String, Double> outboxGauges, long invalidatorLag, Map<String, List<String>> awaitingBroadcast) {

        boolean complete() {
            return differences.isEmpty() && unsentOutboxRows == 0 && invalidatorLag == 0
                    && outboxGauges.values().stream().allMatch(pending -> pending == 0)
                    && awaitingBroadcast.values().stream().allMatch(List::isEmpty);
        }
    }
}
