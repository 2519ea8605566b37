package io.cachebus.cluster.prefixinvalidation;

import static io.cachebus.testfixtures.api.Json.object;
import static io.cachebus.testfixtures.api.Responses.expect;
import static io.cachebus.testfixtures.api.Responses.unread;
import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.client.Tier;
import io.cachebus.cluster.support.api.Paths;
import io.cachebus.cluster.support.api.WriteCase;
import io.cachebus.cluster.support.cluster.ApiNode;
import io.cachebus.cluster.support.cluster.ClusterKind;
import io.cachebus.cluster.support.cluster.OnCluster;
import io.cachebus.cluster.support.cluster.SuiteSettings;
import io.cachebus.cluster.support.cluster.TestCluster;
import io.cachebus.cluster.support.observe.EvictionWatch;
import io.cachebus.local.FreePorts;
import io.cachebus.testfixtures.api.ApiClient;
import io.cachebus.testfixtures.api.ApiResponse;
import io.cachebus.testfixtures.events.RecordedCacheEvents;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The prefix-invalidation requirement's own tests (docs/glossary.md), on a cluster of three nodes: for workflows and notifications and each of POST, PUT,
 * PATCH, DELETE and the bulk PATCH, a GET is a hit, the write happens on one node, and the next GET is a miss on
 * EVERY node, rebuilt from the database once and shared through Redis, a hit again after that; the unread count
 * follows. A write of one entity scopes its invalidation to that entity and the domain's collections (ADR 0017): other
 * entities of the domain stay L1 hits on every node, while bulk writes invalidate the whole (tenant, domain). And with
 * Redis unreachable from a node, its in-memory path is still invalidated by the broadcasts.
 */
@OnCluster(ClusterKind.GENERATION_STRATEGY)
class PrefixInvalidationScenariosTest {

    private static final AtomicInteger WRITES = new AtomicInteger();

    /** A node whose Redis address answers nothing: its L2 is the in-memory fallback, and it has no L1. */
    private static ApiNode withoutRedis;

    static Stream<WriteCase> writes() {
        return WriteCase.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("writes")
    void theNextGetAfterTheWriteIsAMissOnEveryNodeAndIsRebuilt(WriteCase write, TestCluster cluster) {
        String tenant = TestCluster.newTenant("prefix");
        List<ApiNode> nodes = cluster.apiNodes();
        ApiNode writer = nodes.get(WRITES.getAndIncrement() % nodes.size());
        EvictionWatch setUp = EvictionWatch.before(nodes, tenant, write.domain());
        WriteCase.Scene scene = write.prepare().apply(writer.client(tenant));
        setUp.awaitEverywhere(writer, SuiteSettings.stalenessBound());
        Map<String, String> untouchedBodies = new LinkedHashMap<>();
        for (ApiNode node : nodes) {
            for (String path : scene.cachedPaths()) {
                assertHitAfterLoad(node, tenant, path);
            }
            for (String path : scene.untouchedPaths()) {
                untouchedBodies.put(path, assertHitAfterLoad(node, tenant, path).body());
            }
        }

        EvictionWatch watch = EvictionWatch.before(nodes, tenant, write.domain());
        expect(scene.write().apply(writer.client(tenant)), scene.status());
        watch.awaitEverywhere(writer, SuiteSettings.stalenessBound());

        for (String path : scene.cachedPaths()) {
            List<Tier> firstReads = new ArrayList<>();
            for (ApiNode node : nodes) {
                ApiResponse fresh = getAndRecordTier(node, tenant, path, firstReads);
                scene.assertShowsTheWrite(path, fresh);
                ApiResponse again = expect(node.client(tenant).get(path), 200);
                assertThat(node.cacheEvents().lastTier(tenant, Paths.resource(path)))
                        .as("GET %s on %s after the rebuild", path, node).isEqualTo(Tier.L1);
                assertThat(again.body()).isEqualTo(fresh.body());
            }
            assertThat(firstReads).as("the first GET %s on each of %s after the write: missed everywhere, loaded from"
                    + " the database once, then shared through Redis", path, nodes)
                    .containsExactly(Tier.LOADER, Tier.L2_REDIS, Tier.L2_REDIS);
        }
        for (String path : scene.untouchedPaths()) {
            for (ApiNode node : nodes) {
                ApiResponse kept = expect(node.client(tenant).get(path), 200);
                assertThat(node.cacheEvents().lastTier(tenant, Paths.resource(path)))
                        .as("GET %s on %s: an entity the write did not touch stays cached", path, node)
                        .isEqualTo(Tier.L1);
                assertThat(kept.body()).isEqualTo(untouchedBodies.get(path));
            }
        }
        for (String path : scene.gonePaths()) {
            for (ApiNode node : nodes) {
                expect(node.client(tenant).get(path), 404);
            }
        }
    }

    @BeforeAll
    static void startANodeThatCannotReachRedis(TestCluster cluster) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("spring.data.redis.port", String.valueOf(FreePorts.next()));
        properties.put("cachebus.l1.max-size", "0");
        withoutRedis = cluster.startExtraApiNode("api-without-redis", properties);
    }

    @AfterAll
    static void stopIt() {
        withoutRedis.instance().close();
    }

    @Test
    void withRedisUnreachableTheInMemoryPathIsStillInvalidated(TestCluster cluster) {
        String tenant = TestCluster.newTenant("prefix-noredis");
        ApiNode writer = cluster.apiNode(0);
        List<ApiNode> watched = List.of(writer, withoutRedis);
        EvictionWatch setUp = EvictionWatch.before(watched, tenant, Paths.NOTIFICATIONS_DOMAIN);
        long id = WriteCase.createNotification(writer.client(tenant), "to read");
        WriteCase.createNotification(writer.client(tenant), "stays unread");
        setUp.awaitEverywhere(writer, SuiteSettings.stalenessBound());
        List<String> paths = List.of(Paths.notification(id), Paths.UNREAD_COUNT);
        ApiClient api = withoutRedis.client(tenant);
        for (String path : paths) {
            expect(api.get(path), 200);
            assertThat(withoutRedis.cacheEvents().lastTier(tenant, Paths.resource(path))).isEqualTo(Tier.LOADER);
            expect(api.get(path), 200);
            assertThat(withoutRedis.cacheEvents().lastTier(tenant, Paths.resource(path)))
                    .as("GET %s again on a node without Redis: a hit of its in-memory store", path)
                    .isEqualTo(Tier.L2_FALLBACK);
        }

        EvictionWatch watch = EvictionWatch.before(watched, tenant, Paths.NOTIFICATIONS_DOMAIN);
        expect(writer.client(tenant).patch(Paths.notification(id), object("read", true)), 200);
        watch.awaitEverywhere(writer, SuiteSettings.stalenessBound());

        ApiResponse item = expect(api.get(Paths.notification(id)), 200);
        assertThat(withoutRedis.cacheEvents().lastTier(tenant, Paths.notification(id))).isEqualTo(Tier.LOADER);
        assertThat(item.json().get("read").asBoolean()).isTrue();
        ApiResponse count = expect(api.get(Paths.UNREAD_COUNT), 200);
        assertThat(withoutRedis.cacheEvents().lastTier(tenant, Paths.UNREAD_COUNT)).isEqualTo(Tier.LOADER);
        assertThat(unread(count)).isEqualTo(1);
    }

    /** GET twice on a node: the second answer must come from its L1, with the same body, which it returns. */
    private static ApiResponse assertHitAfterLoad(ApiNode node, String tenant, String path) {
        ApiResponse first = expect(node.client(tenant).get(path), 200);
        ApiResponse second = expect(node.client(tenant).get(path), 200);
        assertThat(node.cacheEvents().lastTier(tenant, Paths.resource(path)))
                .as("GET %s twice on %s: the second is a hit", path, node).isEqualTo(Tier.L1);
        assertThat(second.body()).isEqualTo(first.body());
        return second;
    }

    private static ApiResponse getAndRecordTier(ApiNode node, String tenant, String path, List<Tier> tiers) {
        RecordedCacheEvents events = node.cacheEvents();
        int mark = events.mark();
        ApiResponse response = expect(node.client(tenant).get(path), 200);
        List<Tier> answered = events.tiersSince(mark, tenant, Paths.resource(path));
        assertThat(answered).as("lookups of GET %s on %s", path, node).hasSize(1);
        tiers.add(answered.get(0));
        return response;
    }
}
