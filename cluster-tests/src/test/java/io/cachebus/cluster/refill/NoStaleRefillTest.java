package io.cachebus.cluster.refill;

import static io.cachebus.testfixtures.api.Json.object;
import static io.cachebus.testfixtures.api.Json.step;
import static io.cachebus.testfixtures.api.Json.workflow;
import static io.cachebus.testfixtures.api.Responses.expect;
import static io.cachebus.testfixtures.api.Responses.unread;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.cachebus.cluster.support.api.JsonShape;
import io.cachebus.cluster.support.api.Paths;
import io.cachebus.cluster.support.api.WriteCase;
import io.cachebus.cluster.support.cluster.ApiNode;
import io.cachebus.cluster.support.cluster.ClusterKind;
import io.cachebus.cluster.support.cluster.OnCluster;
import io.cachebus.cluster.support.cluster.TestCluster;
import io.cachebus.cluster.support.faults.QueryGate;
import io.cachebus.cluster.support.observe.EvictionWatch;
import io.cachebus.cluster.support.observe.L1Contents;
import io.cachebus.testfixtures.api.ApiClient;
import io.cachebus.testfixtures.api.ApiResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Invariant 3, no stale re-fill, with the interleaving forced: a GET on one node reads the database and is held
 * right after its query (the old row is read); meanwhile another node writes, and the invalidation completes (Redis
 * invalidated and the broadcast applied on every node, the held one included); then the held read finishes. It may
 * answer its client with the old data (it began before the write), but must store it nowhere: afterwards no node's
 * L1 and no Redis entry of the tenant holds the old value, and every node answers with the new one.
 */
@OnCluster(ClusterKind.GENERATION_STRATEGY)
class NoStaleRefillTest {

    private static final Duration WITHIN = Duration.ofSeconds(15);

    /**
     * One race: the data it needs, the GET that is held (at the query containing {@code heldQuery}), the write that
     * overtakes it and what the new answer shows.
     */
    record Race(String name, String domain, String heldQuery, Function<ApiClient, Long> setUp,
            Function<Long, String> readPath, Function<Long, Function<ApiClient, ApiResponse>> write,
            Consumer<ApiResponse> showsTheWrite) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Race> races() {
        return Stream.of(
                new Race("a workflow read while it is patched", Paths.WORKFLOWS_DOMAIN, "FROM workflows WHERE",
                        api -> WriteCase.createWorkflow(api, "raced", List.of(step("a", "noop"))),
                        Paths::workflow,
                        id -> api -> api.patch(Paths.workflow(id), object("description", "after the race")),
                        fresh -> assertThat(fresh.json().get("description").asString()).isEqualTo("after the race")),
                new Race("a workflow's steps (derived data) read while they are replaced", Paths.WORKFLOWS_DOMAIN,
                        "FROM workflow_steps",
                        api -> WriteCase.createWorkflow(api, "raced", List.of(step("old", "noop"))),
                        Paths::steps,
                        id -> api -> api.put(Paths.workflow(id), workflow("raced", "ACTIVE", null,
                                List.of(step("new", "noop")))),
                        fresh -> assertThat(fresh.json().get("steps").findValuesAsString("name")).containsExactly("new")),
                // a collection of the domain and a write of one entity of it (ADR 0017)
                new Race("the unread count read while one notification is marked read", Paths.NOTIFICATIONS_DOMAIN,
                        "SELECT COUNT(*) FROM notifications",
                        api -> {
                            WriteCase.createNotification(api, "one");
                            return WriteCase.createNotification(api, "two");
                        },
                        id -> Paths.UNREAD_COUNT,
                        id -> api -> api.patch(Paths.notification(id), object("read", true)),
                        fresh -> assertThat(unread(fresh)).isEqualTo(1)),
                new Race("the unread count read while everything is marked read", Paths.NOTIFICATIONS_DOMAIN,
                        "SELECT COUNT(*) FROM notifications",
                        api -> {
                            WriteCase.createNotification(api, "one");
                            return WriteCase.createNotification(api, "two");
                        },
                        id -> Paths.UNREAD_COUNT,
                        id -> api -> api.patch(Paths.NOTIFICATIONS, object("all", true)),
                        fresh -> assertThat(unread(fresh)).isZero()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("races")
    void aReadThatLoadedBeforeAnInvalidationStoresNothingAfterIt(Race race, TestCluster cluster) throws Exception {
        String tenant = TestCluster.newTenant("refill");
        List<ApiNode> nodes = cluster.apiNodes();
        ApiNode writer = nodes.get(0);
        ApiNode reader = nodes.get(1);
        EvictionWatch setUp = EvictionWatch.before(nodes, tenant, race.domain());
        long id = race.setUp().apply(writer.client(tenant));
        setUp.awaitEverywhere(writer, WITHIN);
        String path = race.readPath().apply(id);

        ApiResponse oldAnswer;
        try (QueryGate.Hold hold = QueryGate.arm(reader.name(), tenant, race.heldQuery())) {
            CompletableFuture<ApiResponse> heldRead = CompletableFuture.supplyAsync(() -> reader.client(tenant).get(path));
            hold.awaitHeld(WITHIN);

            EvictionWatch invalidation = EvictionWatch.before(nodes, tenant, race.domain());
            ApiResponse written = race.write().apply(id).apply(writer.client(tenant));
            assertThat(written.isSuccess()).as("%s", written).isTrue();
            invalidation.awaitEverywhere(writer, WITHIN);

            hold.release();
            oldAnswer = expect(heldRead.get(WITHIN.toMillis(), TimeUnit.MILLISECONDS), 200);
        }
        assertThat(catchThrowable(() -> race.showsTheWrite().accept(oldAnswer)))
                .as("the held read answers with the data it read before the write (else there was no race): %s",
                        oldAnswer)
                .isInstanceOf(AssertionError.class);

        JsonNode oldValue = oldAnswer.json();
        assertNowhere(cluster, tenant, path, oldValue);
        for (ApiNode node : nodes) {
            ApiResponse fresh = expect(node.client(tenant).get(path), 200);
            race.showsTheWrite().accept(fresh);
        }
        assertNowhere(cluster, tenant, path, oldValue);
    }

    private static void assertNowhere(TestCluster cluster, String tenant, String path, JsonNode oldValue) {
        for (ApiNode node : cluster.apiNodes()) {
            assertThat(L1Contents.of(node, tenant, Paths.resource(path)))
                    .as("what %s's L1 holds for GET %s", node, path).doesNotContain(oldValue);
        }
        Map<String, String> redisEntries = cluster.redis().entriesOf(tenant);
        assertThat(redisEntries.values().stream().map(JsonShape::read).toList())
                .as("the values of every Redis entry of the tenant: %s", redisEntries).doesNotContain(oldValue);
    }
}
