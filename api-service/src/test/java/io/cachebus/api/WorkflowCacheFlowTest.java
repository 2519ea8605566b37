package io.cachebus.api;

import static io.cachebus.testfixtures.api.Json.step;
import static io.cachebus.testfixtures.api.Json.workflow;
import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.api.testing.ApiIntegrationTest;
import io.cachebus.api.testing.SharedKafkaMutations;
import io.cachebus.api.testing.TestTokens;
import io.cachebus.client.Tier;
import io.cachebus.events.DomainMutated;
import io.cachebus.events.Operation;
import io.cachebus.testfixtures.api.ApiClient;
import io.cachebus.testfixtures.api.ApiResponse;
import io.cachebus.testfixtures.api.Json;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * For every write of the workflows domain, on one node: GET (miss) -> GET (hit) -> write -> GET answers the
 * new data (loaded again, not the cached entry), and the write's DomainMutated reaches Kafka.
 */
class WorkflowCacheFlowTest extends ApiIntegrationTest {

    @RegisterExtension
    static final SharedKafkaMutations mutations = new SharedKafkaMutations();

    @Test
    void postShowsUpInTheCachedList() {
        String tenant = TestTokens.newTenant();
        ApiClient api = client(tenant);
        create(api, "alpha", List.of());
        String list = "/api/workflows?size=10";
        assertThat(names(getMissThenHit(api, tenant, list))).containsExactly("alpha");

        ApiResponse created = api.post("/api/workflows", workflow("beta", "ACTIVE", "second",
                List.of(step("fetch", "http.get"), step("store", "db.insert"))));

        assertThat(created.status()).as("%s", created).isEqualTo(201);
        assertThat(created.headers().firstValue("Location")).hasValue("/api/workflows/" + created.id());
        JsonNode after = getReloaded(api, tenant, list).json();
        assertThat(names(after)).containsExactly("alpha", "beta");
        assertThat(after.get("totalItems").asLong()).isEqualTo(2);
        awaitMutation(tenant, Operation.CREATE, created.id());
    }

    @Test
    void putReplacesTheWorkflowAndItsCachedSteps() {
        String tenant = TestTokens.newTenant();
        ApiClient api = client(tenant);
        long id = create(api, "alpha", List.of(Json.step("one", "noop"))).id();
        String one = "/api/workflows/" + id;
        String steps = one + "/steps";
        assertThat(getMissThenHit(api, tenant, one).json().get("name").asString()).isEqualTo("alpha");
        assertThat(stepNames(getMissThenHit(api, tenant, steps))).containsExactly("one");

        ApiResponse replaced = api.put(one, workflow("alpha-2", "PAUSED", null,
                List.of(step("two", "noop"), step("three", "noop"))));

        assertThat(replaced.status()).as("%s", replaced).isEqualTo(200);
        ApiResponse fresh = getReloaded(api, tenant, one);
        assertThat(fresh.body()).isEqualTo(replaced.body());
        assertThat(fresh.json().get("status").asString()).isEqualTo("PAUSED");
        assertThat(stepNames(getReloaded(api, tenant, steps))).containsExactly("two", "three");
        awaitMutation(tenant, Operation.UPDATE, id);
    }

    @Test
    void patchChangesOnlyTheGivenFields() {
        String tenant = TestTokens.newTenant();
        ApiClient api = client(tenant);
        long id = create(api, "alpha", List.of(step("one", "noop"))).id();
        String one = "/api/workflows/" + id;
        String active = "/api/workflows?status=ACTIVE";
        getMissThenHit(api, tenant, one);
        assertThat(names(getMissThenHit(api, tenant, active))).isEmpty();
        getMissThenHit(api, tenant, one + "/steps");

        ApiResponse patched = api.patch(one, Json.object("status", "ACTIVE", "description", null));

        assertThat(patched.status()).as("%s", patched).isEqualTo(200);
        JsonNode fresh = getReloaded(api, tenant, one).json();
        assertThat(fresh.get("name").asString()).isEqualTo("alpha");
        assertThat(fresh.get("status").asString()).isEqualTo("ACTIVE");
        assertThat(fresh.get("description").isNull()).isTrue();
        assertThat(names(getReloaded(api, tenant, active))).containsExactly("alpha");
        assertThat(stepNames(getReloaded(api, tenant, one + "/steps"))).containsExactly("one");
        awaitMutation(tenant, Operation.PATCH, id);
    }

    @Test
    void deleteRemovesTheWorkflowItsStepsAndItsListEntry() {
        String tenant = TestTokens.newTenant();
        ApiClient api = client(tenant);
        long id = create(api, "alpha", List.of(step("one", "noop"))).id();
        String one = "/api/workflows/" + id;
        getMissThenHit(api, tenant, one);
        getMissThenHit(api, tenant, one + "/steps");
        assertThat(names(getMissThenHit(api, tenant, "/api/workflows"))).containsExactly("alpha");

        ApiResponse deleted = api.delete(one);

        assertThat(deleted.status()).as("%s", deleted).isEqualTo(204);
        assertThat(api.get(one).status()).isEqualTo(404);
        assertThat(api.get(one + "/steps").status()).isEqualTo(404);
        assertThat(names(getReloaded(api, tenant, "/api/workflows"))).isEmpty();
        awaitMutation(tenant, Operation.DELETE, id);
        assertThat(api.delete(one).status()).as("deleting twice").isEqualTo(404);
    }

    @Test
    void listFiltersByStatusAndNameAndPages() {
        String tenant = TestTokens.newTenant();
        ApiClient api = client(tenant);
        for (String name : List.of("Billing sync", "billing_export", "Inventory", "Payroll 100%", "billing-audit")) {
            api.post("/api/workflows", workflow(name, name.startsWith("b") ? "ACTIVE" : "DRAFT", null, List.of()));
        }

        assertThat(names(get(api, "/api/workflows?name=BILLING").json()))
                .containsExactly("Billing sync", "billing_export", "billing-audit");
        assertThat(names(get(api, "/api/workflows?name=%20billing%20&status=ACTIVE").json()))
                .containsExactly("billing_export", "billing-audit");
        assertThat(names(get(api, "/api/workflows?name=_").json())).containsExactly("billing_export");
        assertThat(names(get(api, "/api/workflows?name=100%25").json())).containsExactly("Payroll 100%");
        JsonNode page = get(api, "/api/workflows?page=1&size=2").json();
        assertThat(names(page)).containsExactly("Inventory", "Payroll 100%");
        assertThat(page.get("totalItems").asLong()).isEqualTo(5);
        assertThat(page.get("totalPages").asLong()).isEqualTo(3);
        assertThat(names(get(api, "/api/workflows?page=3&size=2").json())).isEmpty();
    }

    @Test
    void queryParameterOrderAndDefaultsShareOneCacheEntry() {
        String tenant = TestTokens.newTenant();
        ApiClient api = client(tenant);
        create(api, "alpha", List.of());
        getMissThenHit(api, tenant, "/api/workflows?status=DRAFT&size=20");
        get(api, "/api/workflows?page=0&status=DRAFT");
        assertThat(lastTier(tenant, "/api/workflows")).isEqualTo(Tier.L1);
    }

    private ApiResponse create(ApiClient api, String name, List<Map<String, String>> steps) {
        ApiResponse created = api.post("/api/workflows", workflow(name, null, "about " + name, steps));
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        return created;
    }

    private DomainMutated awaitMutation(String tenant, Operation operation, long id) {
        DomainMutated event = mutations.awaitEvent(operation + " of workflow " + id, e -> e.tenant().equals(tenant)
                && e.operation() == operation && e.entityId().equals(Optional.of(String.valueOf(id))));
        assertThat(event.domain()).isEqualTo("workflows");
        return event;
    }

    static List<String> names(ApiResponse response) {
        return names(response.json());
    }

    static List<String> names(JsonNode page) {
        return page.get("items").valueStream().map(item -> item.get("name").asString()).toList();
    }

    static List<String> stepNames(ApiResponse response) {
        return response.json().get("steps").valueStream().map(step -> step.get("name").asString()).toList();
    }
}
