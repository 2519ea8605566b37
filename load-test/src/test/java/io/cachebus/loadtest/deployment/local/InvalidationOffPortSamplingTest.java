package io.cachebus.loadtest.deployment.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.loadtest.deployment.ApiNodes;
import io.cachebus.loadtest.deployment.NodeMode;
import io.cachebus.loadtest.measure.PrometheusSamples;
import io.cachebus.loadtest.workload.Domain;
import io.cachebus.loadtest.workload.EntityRef;
import io.cachebus.loadtest.workload.ReferenceApi;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The baseline port's hits are not sampled: its writes evict nothing, so the baseline's cached data is stale by design,
 * and until 2026-12-06 the nodes' count of stale hits in the bench report was mostly the baseline's own entities.
 */
class InvalidationOffPortSamplingTest {

    private static final String SAMPLES_CHECKED = "cachebus_consistency_samples_checked_total";
    private static final String LOOKUPS = "cachebus_cache_lookups_total";

    private static LocalClusterTarget cluster;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void startCluster() {
        cluster = LocalClusterTarget.start(LocalClusterTarget.withConsistencySampling(
                LocalClusterTarget.quietDefaults().withApiNodes(1), 1.0, Duration.ofMillis(100)));
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void hitsOnTheBaselinePortAreNotSampledAndHitsOnTheNodesOwnPortAre() throws Exception {
        URI node = cluster.apiNodes().get(0);
        ReferenceApi api = new ReferenceApi(HTTP, cluster::bearerToken, Duration.ofSeconds(10));
        try (ApiNodes baselineNodes = cluster.nodes(NodeMode.INVALIDATION_OFF).orElseThrow()) {
            URI baseline = baselineNodes.urls().get(0);
            // a domain each: the sampler counts by domain, and works its samples off in order on one thread
            EntityRef onBaseline = new EntityRef("sampling-b", Domain.NOTIFICATIONS,
                    api.create(baseline, "sampling-b", Domain.NOTIFICATIONS, 1).get());
            EntityRef onNode = new EntityRef("sampling-n", Domain.WORKFLOWS,
                    api.create(node, "sampling-n", Domain.WORKFLOWS, 1).get());

            // until the node vouches for its caches (its first freshness probe) reads go to the database, not hits
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (counted(node, LOOKUPS, "notifications", "l1") < 4 && System.nanoTime() < deadline) {
                assertThat(api.read(baseline, onBaseline).get().ok()).isTrue();
            }
            assertThat(counted(node, LOOKUPS, "notifications", "l1")).as("hits on the baseline port").isEqualTo(4);
            while (counted(node, SAMPLES_CHECKED, "workflows", "l1") == 0 && System.nanoTime() < deadline) {
                assertThat(api.read(node, onNode).get().ok()).isTrue();
                Thread.sleep(20);
            }
            Map<String, Double> checked = checkedByDomain(node);
            assertThat(checked.getOrDefault("workflows", 0.0)).as("the hits on the node's own port were sampled")
                    .isPositive();
            assertThat(checked.getOrDefault("notifications", 0.0)).as("those on the baseline port, read before them,"
                    + " were not").isZero();
        }
    }

    private static Map<String, Double> checkedByDomain(URI node) throws Exception {
        return metrics(node).sumBy(SAMPLES_CHECKED, "domain");
    }

    private static double counted(URI node, String counter, String domain, String tier) throws Exception {
        return metrics(node).samples().stream().filter(sample -> sample.name().equals(counter)
                && domain.equals(sample.labels().get("domain")) && tier.equals(sample.labels().get("tier")))
                .mapToDouble(PrometheusSamples.Sample::value).sum();
    }

    private static PrometheusSamples metrics(URI node) throws Exception {
        HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(cluster.metricsEndpoint(node)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return PrometheusSamples.parse(metrics.body());
    }
}
