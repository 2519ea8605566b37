package io.cachebus.cluster.outage;

import static io.cachebus.testfixtures.api.Json.object;
import static io.cachebus.testfixtures.api.Json.step;
import static io.cachebus.testfixtures.api.Json.workflow;
import static io.cachebus.testfixtures.api.Responses.expect;
import static org.awaitility.Awaitility.await;

import io.cachebus.cluster.support.api.Paths;
import io.cachebus.cluster.support.cluster.ApiNode;
import io.cachebus.cluster.support.cluster.TestCluster;
import io.cachebus.testfixtures.api.ApiClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Runs each {@link Outage} once on the cluster, with client traffic before, during and after it, and keeps the
 * report: the availability and the durability tests judge the same drill (an outage and the recovery from it are
 * what costs the time; there is no need to live through each twice).
 *
 * <p>A drill: a fresh tenant with six workflows and six notifications, cached on every node; one full cycle of
 * traffic on the healthy cluster (the normal answers); traffic keeps running while the component goes away for
 * {@link #TRAFFIC_DURING_OUTAGE}; the component stays away a little longer
 * ({@link Outage#quietBeforeRecovery()}) and comes back; then the drill waits (at most {@link #RECOVERY}) until every node shows every acknowledged write, no
 * outbox row is unsent and the invalidators have no lag.
 */
public final class OutageDrills {

    /** How long traffic runs while the component is away. */
    static final Duration TRAFFIC_DURING_OUTAGE = Duration.ofMillis(2500);
    static final Duration RECOVERY = Duration.ofSeconds(30);
    private static final Duration TRAFFIC_BEFORE_OUTAGE = Duration.ofMillis(300);
    private static final int ITEMS = 6;

    private static final Map<Outage, DrillReport> REPORTS = new EnumMap<>(Outage.class);
    private static TestCluster drilledOn;

    private OutageDrills() {
    }

    /** The report of {@code outage} on {@code cluster}, drilled now if it was not yet. */
    public static synchronized DrillReport report(TestCluster cluster, Outage outage) {
        if (drilledOn != cluster) {
            REPORTS.clear();
            drilledOn = cluster;
        }
        return REPORTS.computeIfAbsent(outage, o -> drill(cluster, o));
    }

    private static DrillReport drill(TestCluster cluster, Outage outage) {
        awaitHealthy(cluster);
        String tenant = outage.tenant(cluster);
        TenantModel model = setUp(cluster, tenant);
        awaitEveryNodeShows(cluster, tenant, model, "the drill's data before " + outage);
        Traffic traffic = new Traffic(cluster, tenant, model);
        List<Exchange> healthy = traffic.fullCycle();

        int from = traffic.exchangeCount();
        traffic.start();
        sleep(TRAFFIC_BEFORE_OUTAGE);
        List<Exchange> during;
        DrillReport.Recovery recovery;
        try {
            outage.begin(cluster, traffic);
            sleep(TRAFFIC_DURING_OUTAGE);
            // the writes of the outage are the last ones: a later write would invalidate its whole domain again and
            // so hide an invalidation that was lost
            during = traffic.stop(from);
            outage.afterTraffic(cluster, traffic);
            sleep(outage.quietBeforeRecovery());
            if (outage.invalidatesWhileDown()) {
                recovery = recover(cluster, tenant, model);
                outage.end(cluster, traffic);
            } else {
                outage.end(cluster, traffic);
                recovery = recover(cluster, tenant, model);
            }
        } finally {
            traffic.stop(from);
            if (!Outage.allRunning(cluster)) {
                outage.end(cluster, traffic);
            }
        }
        long writes = during.stream().filter(e -> !e.kind().startsWith("GET")).count();
        System.out.printf("drill %s: %d requests while it lasted (%d writes), caught up %s in %d ms%n", outage,
                during.size(), writes, recovery.complete() ? "completely" : "NOT", recovery.took().toMillis());
        return new DrillReport(outage, healthy, during, recovery, new DrillReport.Versions(model));
    }

    /** Waits until the cluster caught up with the traffic, and reports how it looks then (or at the deadline). */
    private static DrillReport.Recovery recover(TestCluster cluster, String tenant, TenantModel model) {
        long started = System.nanoTime();
        DrillReport.Recovery[] last = new DrillReport.Recovery[1];
        try {
            await().atMost(RECOVERY).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(250)).until(() -> {
                last[0] = observe(cluster, tenant, model, started);
                return last[0].complete();
            });
        } catch (ConditionTimeoutException stillBehind) {
            // the report says what was left: the tests judge it
        }
        return last[0];
    }

    private static DrillReport.Recovery observe(TestCluster cluster, String tenant, TenantModel model, long started) {
        List<String> differences = new ArrayList<>();
        Map<String, Double> gauges = new LinkedHashMap<>();
        Map<String, List<String>> awaitingBroadcast = new LinkedHashMap<>();
        for (ApiNode node : cluster.everyApiNode()) {
            if (node.isRunning()) {
                // per write: every invalidation covers a whole domain, so the comparison below cannot tell a lost
                // one from the next that made up for it; the writer's marker of each write can (where the test can
                // read the node's markers: in this JVM)
                if (node.instance().runsInThisJvm()) {
                    awaitingBroadcast.put(node.name(), Stream.of(Paths.WORKFLOWS_DOMAIN, Paths.NOTIFICATIONS_DOMAIN)
                            .filter(domain -> node.awaitsOwnInvalidation(tenant, domain)).toList());
                }
                differences.addAll(model.differences(node, tenant));
                gauges.put(node.name(), node.outboxPendingGauge());
            }
        }
        return new DrillReport.Recovery(Duration.ofNanos(System.nanoTime() - started), differences,
                cluster.backlog().unsentOutboxRows(), gauges, cluster.backlog().invalidatorLag(), awaitingBroadcast);
    }

    /** Nothing of an earlier test or drill is still on its way, and every component runs. */
    private static void awaitHealthy(TestCluster cluster) {
        await().alias("every component running, no outbox row unsent, no invalidator lag").atMost(RECOVERY)
                .until(() -> Outage.allRunning(cluster) && cluster.backlog().unsentOutboxRows() == 0
                        && cluster.backlog().invalidatorLag() == 0);
    }

    private static TenantModel setUp(TestCluster cluster, String tenant) {
        TenantModel model = new TenantModel();
        ApiClient api = cluster.apiNode(0).client(tenant);
        for (int i = 1; i <= ITEMS; i++) {
            List<String> steps = List.of("step" + i);
            model.workflowWritten(expect(api.post(Paths.WORKFLOWS, workflow("w" + i, "ACTIVE", "initial",
                    List.of(step("step" + i, "noop")))), 201), steps);
            model.notificationWritten(expect(api.post(Paths.NOTIFICATIONS, object("title", "n" + i)), 201));
        }
        return model;
    }

    /** Reads everything of the tenant on every node (which also caches it there) until it shows the model. */
    private static void awaitEveryNodeShows(TestCluster cluster, String tenant, TenantModel model, String what) {
        await().alias(what + " on every node").atMost(RECOVERY).pollInterval(Duration.ofMillis(100))
                .until(() -> cluster.everyApiNode().stream()
                        .allMatch(node -> model.differences(node, tenant).isEmpty()));
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
