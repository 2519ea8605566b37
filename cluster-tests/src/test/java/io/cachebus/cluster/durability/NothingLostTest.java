package io.cachebus.cluster.durability;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.cluster.outage.DrillReport;
import io.cachebus.cluster.outage.Outage;
import io.cachebus.cluster.outage.OutageDrills;
import io.cachebus.cluster.support.cluster.ClusterKind;
import io.cachebus.cluster.support.cluster.OnCluster;
import io.cachebus.cluster.support.cluster.TestCluster;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Invariant 4, nothing lost: when Kafka is down, Redis is down, an invalidator is killed while events flow (its
 * partner in the group takes over), an API node restarts, or an API node dies between its commits and sending them
 * (the other nodes send its rows), every write acknowledged meanwhile is visible on every
 * node once the component is back (every node had the data cached before, and entries outlive the test, so only the
 * invalidation can make them show it), no outbox row is left unsent (in the database and in every node's
 * {@code cachebus.outbox.pending} gauge), the invalidator group's consumer lag is zero, and the broadcast of every
 * single write has come back to the node that made it (its read-your-writes marker, which names the write's event,
 * is cleared by nothing else on this cluster). The last check is per write: the others would miss an invalidation
 * that was lost if a later write to the same domain was not, since every invalidation covers the whole domain.
 */
@OnCluster(ClusterKind.SCAN_STRATEGY_WITH_OUTAGES)
class NothingLostTest {

    @ParameterizedTest(name = "{0}")
    @EnumSource(Outage.class)
    void everyAcknowledgedWriteIsVisibleEverywhereAndTheBacklogDrains(Outage outage, TestCluster cluster) {
        DrillReport report = OutageDrills.report(cluster, outage);
        assertThat(report.duringOutage()).as("writes acknowledged while %s", outage)
                .anyMatch(e -> !e.kind().startsWith("GET") && e.response() != null && e.response().isSuccess());

        DrillReport.Recovery recovery = report.recovery();
        assertThat(recovery.differences()).as("what the nodes still showed %s ms after %s was over, against every"
                + " acknowledged write", recovery.took().toMillis(), outage).isEmpty();
        assertThat(recovery.unsentOutboxRows()).as("unsent outbox rows in the database").isZero();
        assertThat(recovery.outboxGauges()).as("each node's cachebus.outbox.pending gauge")
                .allSatisfy((node, pending) -> assertThat(pending).as(node).isZero());
        assertThat(recovery.invalidatorLag()).as("consumer lag of the invalidator group").isZero();
        assertThat(recovery.awaitingBroadcast()).as("per node, the domains it wrote whose invalidation never came back"
                + " to it").allSatisfy((node, domains) -> assertThat(domains).as(node).isEmpty());
    }
}
