package io.cachebus.api;

import static io.cachebus.testfixtures.api.Json.step;
import static io.cachebus.testfixtures.api.Json.workflow;
import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.api.testing.ApiIntegrationTest;
import io.cachebus.api.testing.TestTokens;
import io.cachebus.client.Tier;
import io.cachebus.client.event.CacheEvent;
import io.cachebus.client.sql.SqlCache;
import io.cachebus.testfixtures.api.ApiClient;
import io.cachebus.testfixtures.api.ApiResponse;
import io.cachebus.testfixtures.api.Json;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /api/workflows/step-counts} reads across {@code workflows} and {@code workflow_steps} through
 * {@link SqlCache}: cached like every GET, and refreshed by a write to either table, whether the REST API or a SQL
 * statement made it; a write elsewhere leaves it cached.
 */
class WorkflowStepCountsTest extends ApiIntegrationTest {

    private static final String STEP_COUNTS = "/api/workflows/step-counts";

    @Autowired
    private SqlCache sql;

    @Autowired
    private JdbcClient jdbc;

    @Autowired
    private PlatformTransactionManager transactions;

    @Test
    void theStepCountsAreCachedAndRefreshedByAWriteToEitherTable() {
        String tenant = TestTokens.newTenant();
        ApiClient api = client(tenant);
        long alpha = create(api, "alpha", List.of(step("fetch", "http.get"), step("store", "db.insert")));
        long beta = create(api, "beta", List.of(step("notify", "mail.send")));

        ApiResponse miss = get(api, STEP_COUNTS);
        assertThat(sqlTiers(tenant)).as("the page and the total").containsExactly(Tier.LOADER, Tier.LOADER);
        assertThat(counts(miss)).containsExactly(Map.entry("alpha", 2L), Map.entry("beta", 1L));
        assertThat(miss.json().get("totalItems").asLong()).isEqualTo(2);
        ApiResponse hit = get(api, STEP_COUNTS);
        assertThat(sqlTiers(tenant)).containsExactly(Tier.L1, Tier.L1);
        assertThat(hit.body()).isEqualTo(miss.body());
        assertThat(sqlLookups(tenant)).allSatisfy(lookup -> {
            assertThat(lookup.key().domain()).as("workflow_steps is the workflows scope").isEqualTo("workflows");
            assertThat(lookup.key().dependsOn()).isEmpty();
        });

        // the workflows table, through the REST API
        assertThat(api.patch("/api/workflows/" + alpha, Json.object("name", "alpha-2")).status()).isEqualTo(200);
        assertThat(counts(get(api, STEP_COUNTS))).containsExactly(Map.entry("alpha-2", 2L), Map.entry("beta", 1L));
        assertThat(sqlTiers(tenant)).containsExactly(Tier.LOADER, Tier.LOADER);
        get(api, STEP_COUNTS);
        assertThat(sqlTiers(tenant)).containsExactly(Tier.L1, Tier.L1);

        // the workflow_steps table alone, through a SQL write: the step counts and the REST API's cached steps
        String betaSteps = "/api/workflows/" + beta + "/steps";
        getMissThenHit(api, tenant, betaSteps);
        new TransactionTemplate(transactions).executeWithoutResult(status -> sql.tenant(tenant).sql("""
                        INSERT INTO workflow_steps (workflow_id, tenant_id, step_position, name, action)
                        VALUES (:workflow, :tenant, 2, 'archive', 'db.copy')""")
                .param("workflow", beta).param("tenant", tenant).update());
        assertThat(counts(get(api, STEP_COUNTS))).containsExactly(Map.entry("alpha-2", 2L), Map.entry("beta", 2L));
        assertThat(sqlTiers(tenant)).containsExactly(Tier.LOADER, Tier.LOADER);
        assertThat(getReloaded(api, tenant, betaSteps).json().get("steps")).hasSize(2);
        assertThat(jdbc.sql("SELECT domain FROM cachebus_outbox WHERE tenant = ? ORDER BY id DESC LIMIT 1")
                .param(tenant).query(String.class).single()).as("the SQL write's event").isEqualTo("workflows");

        // another table: the notifications write leaves the step counts cached
        get(api, STEP_COUNTS);
        assertThat(api.post("/api/notifications", Json.object("title", "hello")).status()).isEqualTo(201);
        get(api, STEP_COUNTS);
        assertThat(sqlTiers(tenant)).containsExactly(Tier.L1, Tier.L1);
    }

    private long create(ApiClient api, String name, List<Map<String, String>> steps) {
        ApiResponse created = api.post("/api/workflows", workflow(name, "ACTIVE", null, steps));
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        return created.id();
    }

    private static List<Map.Entry<String, Long>> counts(ApiResponse response) {
        JsonNode items = response.json().get("items");
        return StreamSupport.stream(items.spliterator(), false)
                .map(item -> Map.entry(item.get("name").asString(), item.get("steps").asLong())).toList();
    }

    /** The SQL lookups of the tenant's last GET of the step counts (its page and its total). */
    private List<Tier> sqlTiers(String tenant) {
        List<CacheEvent.Lookup> lookups = sqlLookups(tenant);
        return lookups.subList(Math.max(0, lookups.size() - 2), lookups.size()).stream()
                .map(CacheEvent.Lookup::tier).toList();
    }

    private List<CacheEvent.Lookup> sqlLookups(String tenant) {
        return cacheEvents.all().stream().filter(CacheEvent.Lookup.class::isInstance).map(CacheEvent.Lookup.class::cast)
                .filter(lookup -> lookup.key().tenant().equals(tenant) && lookup.key().resource().startsWith("sql/"))
                .toList();
    }
}
