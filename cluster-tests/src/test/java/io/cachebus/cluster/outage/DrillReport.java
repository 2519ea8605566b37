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
 * @param versions     every version of the drill tenant's data, for judging how old each answer was
 */
public record DrillReport(Outage outage, List<Exchange> healthy, List<Exchange> duringOutage,
        Recovery recovery, Versions versions) {

    /** The drill tenant's acknowledged versions, as a judge of reads. */
    public static final class Versions {

        private final TenantModel model;

        Versions(TenantModel model) {
            this.model = model;
        }

        /**
         * The answers among {@code exchanges} to reads that show none of the versions allowed when no node may be more
         * than {@code bound} behind: older data than a write acknowledged at least {@code bound} before the read was
         * sent. Each is described with its age: how long before the read the newest write it misses was acknowledged.
         */
        public List<String> olderThan(Duration bound, List<Exchange> exchanges) {
            List<String> stale = new java.util.ArrayList<>();
            for (Exchange exchange : exchanges) {
                if (!exchange.kind().startsWith("GET") || exchange.response() == null) {
                    continue;
                }
                List<TenantModel.Version> allowed = model.versionsAllowedAt(exchange.sentNanos(), bound);
                if (allowed.stream().noneMatch(version -> version.shows(exchange.response()))) {
                    long ageMillis = (exchange.sentNanos() - allowed.get(0).acknowledgedNanos()) / 1_000_000;
                    stale.add(exchange.response() + " older than a write acknowledged " + ageMillis
                            + " ms before it was sent");
                }
            }
            return stale;
        }
    }

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
