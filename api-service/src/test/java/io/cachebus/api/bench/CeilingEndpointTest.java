package io.cachebus.api.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.api.testing.ApiIntegrationTest;
import io.cachebus.api.testing.ApiNode;
import io.cachebus.api.testing.TestTokens;
import io.cachebus.local.junit.LocalKafkaExtension;
import io.cachebus.local.junit.RedisServerExtension;
import io.cachebus.testfixtures.api.ApiClient;
import io.cachebus.testfixtures.api.ApiResponse;
import io.cachebus.testfixtures.api.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The benchmark's ceiling endpoint is absent from a node started with its defaults (a valid token gets 404 there,
 * as for any unknown path); a node started with {@code cachebus.bench.ceiling-endpoint.enabled=true} serves it
 * behind the same bearer-token check as the API, with a body of a workflow's shape.
 */
class CeilingEndpointTest extends ApiIntegrationTest {

    private static final String CEILING = "/api/bench/ceiling/workflows/7";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void aNodeStartedWithItsDefaultsHasNoCeilingEndpoint() {
        ApiResponse response = client(TestTokens.newTenant()).get(CEILING);

        assertThat(response.status()).as("%s", response).isEqualTo(404);
    }

    @Test
    void anEnabledNodeServesAWorkflowShapedBodyToATokenHolderOnly() {
        String tenant = TestTokens.newTenant();
        ApiClient api = client(tenant);
        long id = api.post("/api/workflows", Json.workflow("load-test workflow 7", "ACTIVE", "lt-0",
                List.of(Json.step("step 1", "notify")))).id();
        String cached = get(api, "/api/workflows/" + id).body();

        try (ApiNode enabled = ApiNode.start(Map.of(
                "spring.datasource.url", freshH2Url(),
                "spring.kafka.bootstrap-servers", System.getProperty(LocalKafkaExtension.BOOTSTRAP_PROPERTY),
                "spring.data.redis.port", System.getProperty(RedisServerExtension.PORT_PROPERTY),
                "cachebus.bench.ceiling-endpoint.enabled", "true"))) {
            assertThat(new ApiClient(enabled.port(), null).get(CEILING).status()).isEqualTo(401);

            ApiResponse ceiling = enabled.client(tenant).get(CEILING);

            assertThat(ceiling.status()).as("%s", ceiling).isEqualTo(200);
            assertThat(ceiling.contentType()).startsWith("application/json");
            assertThat(fieldNames(ceiling.body())).isEqualTo(fieldNames(cached));
            assertThat(ceiling.json().get("id").asLong()).isEqualTo(7);
        }
    }

    private static List<String> fieldNames(String json) {
        return JSON.readTree(json).propertyNames().stream().toList();
    }
}
