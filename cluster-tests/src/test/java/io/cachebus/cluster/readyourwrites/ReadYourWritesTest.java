package io.cachebus.cluster.readyourwrites;

import static io.cachebus.testfixtures.api.Responses.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cachebus.cluster.support.api.WriteCase;
import io.cachebus.cluster.support.cluster.ApiNode;
import io.cachebus.cluster.support.cluster.ClusterKind;
import io.cachebus.cluster.support.cluster.OnCluster;
import io.cachebus.cluster.support.cluster.TestCluster;
import io.cachebus.cluster.support.faults.InvalidatorPause;
import io.cachebus.testfixtures.api.ApiResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Invariant 2, read-your-writes on the writing node, for every write operation of both domains. The invalidators
 * are paused around each write, so neither Redis nor any node's L1 is invalidated by the bus: only the writing
 * node's own guarantee (it drops its local entries after commit and skips Redis until its broadcast comes back)
 * stands between the client and its old data. Before the write the old data is in the writer's L1 and in Redis; a
 * second node, which has only the bus to rely on, still answers with it right afterwards, which shows the caches
 * really were in the way. (Only right afterwards: once the write is older than the staleness bound, the bystander
 * sees that the invalidators' progress has stopped and reads through to the database, invariant 1.)
 */
@OnCluster(ClusterKind.GENERATION_STRATEGY)
class ReadYourWritesTest {

    private static final AtomicInteger WRITES = new AtomicInteger();
    /**
     * Well inside the nodes' staleness bound (1 s) from the invalidators' last progress report: until then a bystander
     * may serve its cache, after it must not.
     */
    private static final Duration BYSTANDER_STILL_CACHES = Duration.ofMillis(700);

    /** The paused mutations invalidated and their broadcasts back on their writers: the next write starts clean. */
    private static void awaitCaughtUp(TestCluster cluster) {
        await().alias("the paused mutations invalidated and their broadcasts back on their writers")
                .atMost(Duration.ofSeconds(30))
                .until(() -> cluster.backlog().invalidatorLag() == 0
                        && cluster.apiNodes().stream().allMatch(node -> node.ownWritesAwaitingBroadcast() == 0));
    }

    static Stream<WriteCase> writes() {
        return WriteCase.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("writes")
    void theWritingNodeAnswersWithTheWriteRightAfterItsResponse(WriteCase write, TestCluster cluster) {
        String tenant = TestCluster.newTenant("ryw");
        int round = WRITES.getAndIncrement();
        List<ApiNode> nodes = cluster.apiNodes();
        ApiNode writer = nodes.get(round % nodes.size());
        ApiNode bystander = nodes.get((round + 1) % nodes.size());
        // set up through the bystander: the writer has no write of its own pending before the one under test
        WriteCase.Scene scene = write.prepare().apply(bystander.client(tenant));
        // the setup's own invalidations done first: until its broadcast is back the bystander reads its own writes
        // from the database past its caches, and a late one would empty the caches filled below, either way letting
        // the bystander show the write under test without the caches having been in the way
        awaitCaughtUp(cluster);
        Map<String, String> bystanderBefore = new LinkedHashMap<>();
        for (String path : scene.cachedPaths()) {
            // the writer's first GET stores the entry in Redis, its second is answered by its L1
            expect(writer.client(tenant).get(path), 200);
            expect(writer.client(tenant).get(path), 200);
            bystanderBefore.put(path, expect(bystander.client(tenant).get(path), 200).body());
        }

        long paused;
        Map<String, String> bystanderAfter = new LinkedHashMap<>();
        double bystanderReadThroughs;
        try (InvalidatorPause pause = cluster.pauseInvalidators()) {
            // the bystander's bound runs from the invalidators' last report, which is before the pause, not from
            // the write: on a busy machine the write alone can take most of the bound
            paused = System.nanoTime();
            expect(scene.write().apply(writer.client(tenant)), scene.status());
            for (String path : scene.cachedPaths()) {
                for (int read = 1; read <= 2; read++) {
                    ApiResponse response = expect(writer.client(tenant).get(path), 200);
                    scene.assertShowsTheWrite(path, response);
                }
            }
            for (String path : scene.gonePaths()) {
                expect(writer.client(tenant).get(path), 404);
            }
            bystanderReadThroughs = bystander.boundReadThroughs();
            bystanderBefore.keySet().forEach(path -> bystanderAfter.put(path, bystander.client(tenant).get(path).body()));
            bystanderReadThroughs = bystander.boundReadThroughs() - bystanderReadThroughs;
        }
        Duration bystanderRead = Duration.ofNanos(System.nanoTime() - paused);
        awaitCaughtUp(cluster);
        if (bystanderReadThroughs > 0) {
            // its freshness probe fell behind (a busy machine): it could not vouch for its caches and read the
            // database, as the bound requires, so it shows nothing about what the caches would have served
            System.out.printf("read-your-writes %s: the bystander read %.0f time(s) through to the database for the "
                    + "bound, so its caches were not in the way%n", write, bystanderReadThroughs);
        } else if (bystanderRead.compareTo(BYSTANDER_STILL_CACHES) < 0) {
            bystanderBefore.forEach((path, body) -> assertThat(bystanderAfter.get(path))
                    .as("GET %s on %s, which only the paused bus could have told about the write", path, bystander)
                    .isEqualTo(body));
        } else {
            System.out.printf("read-your-writes %s: the bystander read %d ms after the pause, too late to show the "
                    + "caches were in the way%n", write, bystanderRead.toMillis());
        }
    }
}
