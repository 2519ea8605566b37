package io.cachebus.loadtest.liveview;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cachebus.local.redis.RedisServer;
import io.cachebus.loadtest.deployment.local.LocalClusterTarget;
import io.cachebus.localcluster.PostgresDatabase;
import io.cachebus.localcluster.Topology;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The live view of a cluster whose API nodes are processes of their own (on a PostgreSQL database of the test's
 * own): it reads them over HTTP as it reads nodes in this JVM, so the same rows and write lines come out. Skipped
 * where PostgreSQL or redis-server is missing.
 */
class LiveViewOnSeparateProcessesTest {

    @Test
    void theViewOfNodesInProcessesOfTheirOwnHasTheirRowsAndTheWritesArrivals() throws Exception {
        PostgresDatabase database = PostgresDatabase.localDefault()
                .withDatabase("cachebus_liveview_test_" + UUID.randomUUID().toString().substring(0, 8));
        assumeTrue(database.isReachable(), "no PostgreSQL answers on 127.0.0.1:5432");
        assumeTrue(RedisServer.isAvailable(), "no redis-server installed");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        LiveView.Result result;
        try (LocalClusterTarget target = LocalClusterTarget.start(LocalClusterTarget.quietDefaults()
                .withApiNodes(2).withInvalidators(1).withTopology(Topology.PROCESSES)
                .withJdbcUrl(database.ensureExists()))) {
            result = new LiveView(target, new PrintStream(bytes, true, StandardCharsets.UTF_8), false,
                    new LiveView.Settings(Duration.ofSeconds(3), Duration.ofSeconds(1),
                            new LiveWorkload.Pace(Duration.ofMillis(200), Duration.ofSeconds(1), 2),
                            Duration.ofSeconds(60), 5)).run();
        } finally {
            if (database.isReachable()) {
                database.drop();
            }
        }

        String output = bytes.toString(StandardCharsets.UTF_8);
        assertThat(result.rows()).as(output).extracting(NodeRow::node).containsExactly("api-1", "api-2");
        assertThat(result.rows()).as(output).allSatisfy(row -> {
            assertThat(row.answering()).isTrue();
            assertThat(row.l1Hits() + row.l2Hits() + row.misses()).isPositive();
            assertThat(row.evictionsApplied()).isPositive();
            assertThat(row.redisBreaker()).isPresent();
            assertThat(row.subscriptionAssignments()).isPositive();
        });
        assertThat(result.writes()).as(output).isNotEmpty().first().satisfies(write -> {
            assertThat(write.writer()).isEqualTo("api-1");
            assertThat(write.arrivals().get("api-2")).isPresent();
        });
    }
}
