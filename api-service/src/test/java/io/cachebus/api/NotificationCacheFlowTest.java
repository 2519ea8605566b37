package io.cachebus.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.api.testing.ApiIntegrationTest;
import io.cachebus.api.testing.SharedKafkaMutations;
import io.cachebus.api.testing.TestTokens;
import io.cachebus.client.Tier;
import io.cachebus.events.DomainMutated;
import io.cachebus.events.Operation;
import io.cachebus.events.Tag;
import io.cachebus.testfixtures.api.ApiClient;
import io.cachebus.testfixtures.api.ApiResponse;
import io.cachebus.testfixtures.api.Json;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * For every write of the notifications domain, on one node: GET (miss) -> GET (hit) -> write -> GET answers
 * the new data; the cached unread count follows create, mark-read, bulk mark-read and delete.
 */
class NotificationCacheFlowTest extends ApiIntegrationTest {

    private static final String UNREAD_COUNT = "/api/notifications/unread-count";

    @RegisterExtension
    static final SharedKafkaMutations mutations = new SharedKafkaMutations();

    @Test
    void postRaisesTheCachedUnreadCountAndShowsUpInTheList() {
        String tenant = TestTokens.newTenant();
        ApiClient api = client(tenant);
        assertThat(unread(getMissThenHit(api, tenant, UNREAD_COUNT))).isZero();
        assertThat(titles(getMissThenHit(api, tenant, "/api/notifications?unread=true"))).isEmpty();

        ApiResponse created = api.post("/api/notifications", Json.object("title", "Build failed", "message", "on main"));

        assertThat(created.status()).as("%s", created).isEqualTo(201);
        assertThat(created.json().get("read").asBoolean()).isFalse();
        assertThat(created.headers().firstValue("Location")).hasValue("/api/notifications/" + created.id());
        assertThat(unread(getReloaded(api, tenant, UNREAD_COUNT))).isEqualTo(1);
        assertThat(titles(getReloaded(api, tenant, "/api/notifications?unread=true"))).containsExactly("Build failed");
        awaitMutation(tenant, Operation.CREATE, Optional.of(created.id()));
    }

    @Test
    void patchMarksOneReadAndUnreadAndTheCountFollows() {
        String tenant = TestTokens.newTenant();
        ApiClient api = client(tenant);
        long first = create(api, "first");
        create(api, "second");
        String one = "/api/notifications/" + first;
        assertThat(getMissThenHit(api, tenant, one).json().get("read").asBoolean()).isFalse();
        assertThat(unread(getMissThenHit(api, tenant, UNREAD_COUNT))).isEqualTo(2);

        ApiResponse read = api.patch(one, Json.object("read", true));

        assertThat(read.status()).as("%s", read).isEqualTo(200);
        JsonNode fresh = getReloaded(api, tenant, one).json();
        assertThat(fresh.get("read").asBoolean()).isTrue();
        assertThat(fresh.get("readAt").isNull()).isFalse();
        assertThat(unread(getReloaded(api, tenant, UNREAD_COUNT))).isEqualTo(1);
        awaitMutation(tenant, Operation.PATCH, Optional.of(first));

        get(api, UNREAD_COUNT);
        assertThat(lastTier(tenant, UNREAD_COUNT)).as("the reloaded count is cached again").isEqualTo(Tier.L1);
        assertThat(api.patch(one, Json.object("read", false)).status()).isEqualTo(200);
        assertThat(getReloaded(api, tenant, one).json().get("readAt").isNull()).isTrue();
        assertThat(unread(getReloaded(api, tenant, UNREAD_COUNT))).isEqualTo(2);
    }

    @Test
    void bulkPatchMarksTheGivenIdsReadAndTheCountFollows() {
        String tenant = TestTokens.newTenant();
        ApiClient api = client(tenant);
        long a = create(api, "a");
        long b = create(api, "b");
        create(api, "c");
        assertThat(unread(getMissThenHit(api, tenant, UNREAD_COUNT))).isEqualTo(3);
        assertThat(titles(getMissThenHit(api, tenant, "/api/notifications?unread=false"))).isEmpty();

        ApiResponse bulk = api.patch("/api/notifications", Json.object("ids", List.of(a, b)));

        assertThat(bulk.status()).as("%s", bulk).isEqualTo(200);
        assertThat(bulk.json().get("updated").asInt()).isEqualTo(2);
        assertThat(unread(getReloaded(api, tenant, UNREAD_COUNT))).isEqualTo(1);
        assertThat(titles(getReloaded(api, tenant, "/api/notifications?unread=false"))).containsExactly("b", "a");
        DomainMutated event = awaitMutation(tenant, Operation.BULK_PATCH, Optional.empty());
        assertThat(event.tags()).containsExactly(new Tag("notifications", "unread-count"));
    }

    @Test
    void aBulkPatchOfOneIdIsAWriteOfThatNotificationAndItsCount() {
        String tenant = TestTokens.newTenant();
        ApiClient api = client(tenant);
        long only = create(api, "only");
        create(api, "other");
        assertThat(unread(getMissThenHit(api, tenant, UNREAD_COUNT))).isEqualTo(2);

        ApiResponse bulk = api.patch("/api/notifications", Json.object("ids", List.of(only)));

        assertThat(bulk.status()).as("%s", bulk).isEqualTo(200);
        assertThat(unread(getReloaded(api, tenant, UNREAD_COUNT))).isEqualTo(1);
        DomainMutated event = awaitMutation(tenant, Operation.PATCH, Optional.of(only));
        assertThat(event.singleEntity()).as("the write's scope is the one notification").hasValue(String.valueOf(only));
        assertThat(event.tags()).containsExactly(new Tag("notifications", "unread-count"));
    }

    @Test
    void bulkPatchMarksAllReadAndTheCountFollows() {
        String tenant = TestTokens.newTenant();
        ApiClient api = client(tenant);
        create(api, "a");
        create(api, "b");
        assertThat(unread(getMissThenHit(api, tenant, UNREAD_COUNT))).isEqualTo(2);
        assertThat(titles(getMissThenHit(api, tenant, "/api/notifications"))).containsExactly("b", "a");

        ApiResponse bulk = api.patch("/api/notifications", Json.object("all", true));

        assertThat(bulk.status()).as("%s", bulk).isEqualTo(200);
        assertThat(bulk.json().get("updated").asInt()).isEqualTo(2);
        assertThat(unread(getReloaded(api, tenant, UNREAD_COUNT))).isZero();
        JsonNode list = getReloaded(api, tenant, "/api/notifications").json();
        assertThat(list.get("items").valueStream().map(n -> n.get("read").asBoolean())).containsOnly(true);
        awaitMutation(tenant, Operation.BULK_PATCH, Optional.empty());
    }

    @Test
    void deleteRemovesTheNotificationAndTheCountFollows() {
        String tenant = TestTokens.newTenant();
        ApiClient api = client(tenant);
        long id = create(api, "doomed");
        String one = "/api/notifications/" + id;
        getMissThenHit(api, tenant, one);
        assertThat(unread(getMissThenHit(api, tenant, UNREAD_COUNT))).isEqualTo(1);

        ApiResponse deleted = api.delete(one);

        assertThat(deleted.status()).as("%s", deleted).isEqualTo(204);
        ApiResponse gone = api.get(one);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.contentType()).startsWith("application/problem+json");
        assertThat(unread(getReloaded(api, tenant, UNREAD_COUNT))).isZero();
        awaitMutation(tenant, Operation.DELETE, Optional.of(id));
    }

    @Test
    void listIsNewestFirstAndPaged() {
        String tenant = TestTokens.newTenant();
        ApiClient api = client(tenant);
        for (String title : List.of("n1", "n2", "n3")) {
            create(api, title);
        }
        JsonNode page = get(api, "/api/notifications?size=2").json();
        assertThat(titles(page)).containsExactly("n3", "n2");
        assertThat(page.get("totalItems").asLong()).isEqualTo(3);
        assertThat(page.get("totalPages").asLong()).isEqualTo(2);
        assertThat(titles(get(api, "/api/notifications?size=2&page=1").json())).containsExactly("n1");
    }

    private static long create(ApiClient api, String title) {
        ApiResponse created = api.post("/api/notifications", Json.object("title", title));
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        return created.id();
    }

    private static DomainMutated awaitMutation(String tenant, Operation operation, Optional<Long> id) {
        Optional<String> entityId = id.map(String::valueOf);
        DomainMutated event = mutations.awaitEvent(operation + " of notification " + entityId, e -> e.tenant().equals(tenant)
                && e.operation() == operation && e.entityId().equals(entityId));
        assertThat(event.domain()).isEqualTo("notifications");
        return event;
    }

    private static long unread(ApiResponse response) {
        return response.json().get("unread").asLong();
    }

    private static List<String> titles(ApiResponse response) {
        return titles(response.json());
    }

    private static List<String> titles(JsonNode page) {
        return page.get("items").valueStream().map(item -> item.get("title").asString()).toList();
    }
}
