package io.cachebus.cluster.staleness;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.cluster.outage.DrillReport;
import io.cachebus.cluster.outage.Outage;
import io.cachebus.cluster.outage.OutageDrills;
import io.cachebus.cluster.support.cluster.ClusterKind;
import io.cachebus.cluster.support.cluster.OnCluster;
import io.cachebus.cluster.support.cluster.TestCluster;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Invariant 1 through faults: while Kafka is down, Redis is down, an invalidator is killed mid-batch, an API node
 * restarts or dies between commit and send, no answer to any client read — during the outage or after it — shows data
 * older than a write acknowledged more than the nodes' staleness bound (1 s) plus 100 ms before the read was sent.
 * The nodes enforce the bound themselves: they read through to the database when they cannot show they are current.
 * Judged on the same drills as nothing-lost and no-cost-to-users, against every version of the drill tenant's data.
 */
@OnCluster(ClusterKind.SCAN_STRATEGY_WITH_OUTAGES)
class BoundHoldsThroughOutagesTest {

    /** The nodes' {@code cachebus.consistency.max-staleness} (the default) plus the margin the bound allows. */
    static final Duration BOUND = Duration.ofMillis(1_000 + 100);

    @ParameterizedTest(name = "{0}")
    @EnumSource(Outage.class)
    void noReadShowsDataOlderThanTheBound(Outage outage, TestCluster cluster) {
        DrillReport report = OutageDrills.report(cluster, outage);

        List<String> stale = report.versions().olderThan(BOUND, report.duringOutage());

        assertThat(report.duringOutage()).as("reads while %s", outage).anyMatch(e -> e.kind().startsWith("GET"));
        assertThat(stale).as("of %s exchanges while %s, the reads older than %s ms", report.duringOutage().size(),
                outage, BOUND.toMillis()).isEmpty();
    }
}
