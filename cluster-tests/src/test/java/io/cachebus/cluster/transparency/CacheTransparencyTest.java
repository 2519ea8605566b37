package io.cachebus.cluster.transparency;

import static io.cachebus.testfixtures.api.Json.object;
import static io.cachebus.testfixtures.api.Json.step;
import static io.cachebus.testfixtures.api.Json.workflow;
import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.client.Tier;
import io.cachebus.cluster.support.api.Paths;
import io.cachebus.cluster.support.cluster.ApiNode;
import io.cachebus.cluster.support.cluster.ClusterKind;
import io.cachebus.cluster.support.cluster.OnCluster;
import io.cachebus.cluster.support.cluster.SuiteSettings;
import io.cachebus.cluster.support.cluster.TestCluster;
import io.cachebus.cluster.support.observe.EvictionWatch;
import io.cachebus.testfixtures.api.ApiResponse;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Invariant 7, transparency: a recorded sequence of requests (reads of every resource with their query variants,
 * missing ids, and writes of both domains in between) is answered identically with caching on and off. The cluster's
 * nodes cache (L1 over Redis); beside them runs a node with every tier off (no L1, no Redis, a fallback that keeps
 * nothing) on the same database. After each write has reached every node, each read goes to a caching node twice
 * (loaded, then from its L1), to the next caching node (from Redis, the JSON round trip) and to the uncached node:
 * status, content type and body must be the same byte for byte.
 */
@OnCluster(ClusterKind.GENERATION_STRATEGY)
class CacheTransparencyTest {

    private static ApiNode uncached;

    /** One recorded request; {@code {w1}}, {@code {n1}}, ... stand for the ids the sequence's POSTs created. */
    private record Request(String method, String path, String body) {
        boolean isRead() {
            return method.equals("GET");
        }
    }

    private static final List<Request> RECORDED = List.of(
            new Request("POST", "/api/workflows", workflow("Quarterly report", "ACTIVE", "ünïcödé & <tags> \"quoted\"",
                    List.of(step("gather", "sql.select"), step("render", "pdf.render")))),
            new Request("POST", "/api/workflows", workflow("nightly", null, null, List.of())),
            new Request("POST", "/api/notifications", object("title", "read me", "message", null)),
            new Request("POST", "/api/notifications", object("title", "unread", "message", "√ 2 ≈ 1.414")),
            new Request("GET", "/api/workflows", null),
            new Request("GET", "/api/workflows?status=ACTIVE", null),
            new Request("GET", "/api/workflows?name=REPORT&status=ACTIVE", null),
            new Request("GET", "/api/workflows?page=1&size=1", null),
            new Request("GET", "/api/workflows/{w1}", null),
            new Request("GET", "/api/workflows/{w1}/steps", null),
            new Request("GET", "/api/workflows/{w2}/steps", null),
            new Request("GET", "/api/workflows/987654321", null),
            new Request("GET", "/api/notifications", null),
            new Request("GET", "/api/notifications?unread=true", null),
            new Request("GET", "/api/notifications/{n1}", null),
            new Request("GET", "/api/notifications/unread-count", null),
            new Request("PATCH", "/api/notifications/{n1}", object("read", true)),
            new Request("GET", "/api/notifications/{n1}", null),
            new Request("GET", "/api/notifications?unread=true", null),
            new Request("GET", "/api/notifications?unread=false", null),
            new Request("GET", "/api/notifications/unread-count", null),
            new Request("PUT", "/api/workflows/{w1}", workflow("Quarterly report", "PAUSED", null,
                    List.of(step("only", "noop")))),
            new Request("GET", "/api/workflows/{w1}", null),
            new Request("GET", "/api/workflows/{w1}/steps", null),
            new Request("GET", "/api/workflows?status=ACTIVE", null),
            new Request("GET", "/api/workflows?status=PAUSED", null),
            new Request("PATCH", "/api/workflows/{w2}", object("description", "patched", "status", "ARCHIVED")),
            new Request("GET", "/api/workflows", null),
            new Request("PATCH", "/api/notifications", object("all", true)),
            new Request("GET", "/api/notifications", null),
            new Request("GET", "/api/notifications/unread-count", null),
            new Request("DELETE", "/api/notifications/{n2}", null),
            new Request("GET", "/api/notifications/{n2}", null),
            new Request("GET", "/api/notifications", null),
            new Request("DELETE", "/api/workflows/{w1}", null),
            new Request("GET", "/api/workflows/{w1}", null),
            new Request("GET", "/api/workflows/{w1}/steps", null),
            new Request("GET", "/api/workflows", null));

    @BeforeAll
    static void startANodeWithoutAnyCache(TestCluster cluster) {
        uncached = cluster.startExtraApiNode("api-uncached", Map.of(
                "cachebus.l1.max-size", "0",
                "cachebus.l2.enabled", "false",
                "cachebus.fallback.max-size", "0"));
    }

    @AfterAll
    static void stopIt() {
        uncached.instance().close();
    }

    @Test
    void aRecordedSequenceIsAnsweredIdenticallyWithCachingOnAndOff(TestCluster cluster) {
        String tenant = TestCluster.newTenant("transparent");
        List<ApiNode> caching = cluster.apiNodes();
        Map<String, String> ids = new HashMap<>();
        Map<Tier, Integer> cachedAnswers = new EnumMap<>(Tier.class);
        for (int i = 0; i < RECORDED.size(); i++) {
            Request request = RECORDED.get(i);
            String path = withIds(request.path(), ids);
            ApiNode node = caching.get(i % caching.size());
            if (!request.isRead()) {
                write(tenant, node, caching, request, path, ids);
                continue;
            }
            ApiResponse loaded = node.client(tenant).get(path);
            ApiResponse fromL1 = node.client(tenant).get(path);
            ApiNode next = caching.get((i + 1) % caching.size());
            ApiResponse fromRedis = next.client(tenant).get(path);
            ApiResponse withoutCache = uncached.client(tenant).get(path);
            for (ApiResponse cached : List.of(loaded, fromL1, fromRedis)) {
                assertThat(cached.status()).as("%s vs uncached %s", cached, withoutCache).isEqualTo(withoutCache.status());
                assertThat(cached.contentType()).as("%s", cached).isEqualTo(withoutCache.contentType());
                assertThat(cached.body()).as("GET %s on %s, with caching on and off", path, cached.node())
                        .isEqualTo(withoutCache.body());
            }
            if (withoutCache.status() == 200) {
                cachedAnswers.merge(node.cacheEvents().lastTier(tenant, Paths.resource(path)), 1, Integer::sum);
                cachedAnswers.merge(next.cacheEvents().lastTier(tenant, Paths.resource(path)), 1, Integer::sum);
            }
        }
        assertThat(cachedAnswers).as("where the caching nodes' second answers came from: the comparison covered L1"
                + " and Redis").containsKeys(Tier.L1, Tier.L2_REDIS);
        assertThat(uncached.cacheEvents().lookupsSince(0, tenant)).as("the uncached node's lookups")
                .allSatisfy(lookup -> assertThat(lookup.tier()).isEqualTo(Tier.LOADER));
    }

    /** Sends a write to one caching node and waits until its invalidation reached every caching node. */
    private static void write(String tenant, ApiNode node, List<ApiNode> caching, Request request, String path,
            Map<String, String> ids) {
        String domain = path.startsWith(Paths.WORKFLOWS) ? Paths.WORKFLOWS_DOMAIN : Paths.NOTIFICATIONS_DOMAIN;
        EvictionWatch watch = EvictionWatch.before(caching, tenant, domain);
        ApiResponse response = node.client(tenant).send(request.method(), path,
                request.body() == null ? null : "application/json", request.body());
        assertThat(response.isSuccess()).as("%s", response).isTrue();
        if (request.method().equals("POST")) {
            String prefix = domain.equals(Paths.WORKFLOWS_DOMAIN) ? "w" : "n";
            long created = ids.keySet().stream().filter(key -> key.startsWith(prefix)).count();
            ids.put(prefix + (created + 1), String.valueOf(response.id()));
        }
        watch.awaitEverywhere(node, SuiteSettings.stalenessBound());
    }

    private static String withIds(String template, Map<String, String> ids) {
        String path = template;
        for (Map.Entry<String, String> id : ids.entrySet()) {
            path = path.replace("{" + id.getKey() + "}", id.getValue());
        }
        return path;
    }
}
