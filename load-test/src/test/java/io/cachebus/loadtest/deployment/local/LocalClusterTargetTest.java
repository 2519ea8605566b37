package io.cachebus.loadtest.deployment.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.loadtest.deployment.ApiNodes;
import io.cachebus.loadtest.deployment.InvalidatorControl;
import io.cachebus.loadtest.deployment.NodeMode;
import io.cachebus.loadtest.measure.CacheLookups;
import io.cachebus.loadtest.measure.NodesStalenessBound;
import io.cachebus.loadtest.measure.PrometheusSamples;
import io.cachebus.loadtest.workload.Domain;
import io.cachebus.loadtest.workload.EntityRef;
import io.cachebus.loadtest.workload.ReferenceApi;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The baseline modes of the local cluster do what their names promise, the invalidators can be stopped, and the nodes
 * enforce the staleness bound they are given.
 */
class LocalClusterTargetTest {

    /** Not the nodes' default (1 s), and lenient enough for the other tests' reads on a busy machine. */
    private static final Duration NODES_BOUND = Duration.ofMillis(1_500);

    private static LocalClusterTarget target;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static ReferenceApi api;

    @BeforeAll
    static void start() {
        target = LocalClusterTarget.start(LocalClusterTarget.withNodesMaxStaleness(
                LocalClusterTarget.quietDefaults().withApiNodes(1), NODES_BOUND));
        api = new ReferenceApi(HTTP, target::bearerToken, Duration.ofSeconds(10));
    }

    @AfterAll
    static void stop() {
        if (target != null) {
            target.close();
        }
    }

    /** Creates a workflow on {@code node} and patches it twice. */
    private static void writeOn(URI node, String tenant) {
        String id = api.create(node, tenant, Domain.WORKFLOWS, 0).join();
        EntityRef workflow = new EntityRef(tenant, Domain.WORKFLOWS, id);
        assertThat(api.write(node, workflow, 1).join().ok()).isTrue();
        assertThat(api.write(node, workflow, 2).join().ok()).isTrue();
    }

    private static long outboxRows(String tenant) throws Exception {
        try (Connection connection = target.cluster().openDatabaseConnection();
                PreparedStatement query = connection.prepareStatement(
                        "select count(*) from cachebus_outbox where tenant = ?")) {
            query.setString(1, tenant);
            try (ResultSet result = query.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
    }

    private static CacheLookups lookups(URI node) throws Exception {
        HttpResponse<String> scrape = HTTP.send(HttpRequest.newBuilder(target.metricsEndpoint(node)).build(),
                HttpResponse.BodyHandlers.ofString());
        return CacheLookups.sumOf(List.of(PrometheusSamples.parse(scrape.body())));
    }

    @Test
    void theNodesEnforceTheBoundTheyAreGivenAndSaySoInTheirHealth() throws Exception {
        URI node = target.apiNodes().get(0);
        String health = HTTP.send(HttpRequest.newBuilder(target.metricsEndpoint(node).resolve("health")).build(),
                HttpResponse.BodyHandlers.ofString()).body();

        assertThat(NodesStalenessBound.fromHealth(List.of(health)).maxStalenessMs()).as(health).isEqualTo(1_500);
    }

    @Test
    void nodesWithInvalidationOffCommitWritesWithoutAnOutboxRow() throws Exception {
        writeOn(target.apiNodes().get(0), "normal-writer");
        assertThat(outboxRows("normal-writer")).as("a normal node records its writes").isEqualTo(3);

        try (ApiNodes baseline = target.nodes(NodeMode.INVALIDATION_OFF).orElseThrow()) {
            assertThat(baseline.urls()).hasSize(1).doesNotContainAnyElementsOf(target.apiNodes());
            writeOn(baseline.urls().get(0), "baseline-writer");
        }
        assertThat(outboxRows("baseline-writer")).isZero();
    }

    @Test
    void nodesWithCachingOffAnswerEveryReadFromTheDatabase() throws Exception {
        URI normal = target.apiNodes().get(0);
        String id = api.create(normal, "reader", Domain.NOTIFICATIONS, 0).join();
        EntityRef notification = new EntityRef("reader", Domain.NOTIFICATIONS, id);
        for (int i = 0; i < 3; i++) {
            assertThat(api.read(normal, notification).join().ok()).isTrue();
        }
        assertThat(lookups(normal).hitRatio().orElseThrow()).as("a normal node caches").isPositive();

        try (ApiNodes uncached = target.nodes(NodeMode.CACHE_OFF).orElseThrow()) {
            URI node = uncached.urls().get(0);
            for (int i = 0; i < 5; i++) {
                assertThat(api.read(node, notification).join().ok()).isTrue();
            }
            CacheLookups counted = lookups(node);
            assertThat(counted.total()).isGreaterThanOrEqualTo(5);
            assertThat(counted.hitRatio()).hasValue(0.0);
        }
    }

    @Test
    void theInvalidatorsCanBeStoppedAndOneStartedAlone() {
        InvalidatorControl control = target.invalidators().orElseThrow();
        try {
            control.stopAll();
            assertThat(target.cluster().invalidators()).noneMatch(i -> i.isRunning());
            control.startOne();
            assertThat(target.cluster().invalidators().get(0).isRunning()).isTrue();
        } finally {
            control.startAll();
        }
        assertThat(target.cluster().invalidators()).allMatch(i -> i.isRunning());
    }
}
