package io.cachebus.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.api.testing.ApiIntegrationTest;
import io.cachebus.api.testing.SharedKafkaMutations;
import io.cachebus.api.testing.TenantRows;
import io.cachebus.api.testing.TestTokens;
import io.cachebus.events.DomainMutated;
import io.cachebus.events.Operation;
import io.cachebus.testfixtures.api.ApiClient;
import io.cachebus.testfixtures.api.ApiResponse;
import io.cachebus.testfixtures.api.Json;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Bad input gets a 4xx problem body that says what is wrong (and where), and changes nothing: no row in any
 * table, no DomainMutated (up to the tenant's next good write, the topic holds its earlier writes' events only).
 */
class BadInputTest extends ApiIntegrationTest {

    private static final String BIG = "x".repeat(70 * 1024);
    /** Nesting far beyond the parser's depth limit, yet well under the body size limit. */
    private static final int DEEP = 20_000;
    private static final String DEEP_ARRAYS = "[".repeat(DEEP) + "]".repeat(DEEP);
    private static final String DEEP_OBJECTS = "{\"a\":".repeat(DEEP / 5) + "1" + "}".repeat(DEEP / 5);

    @RegisterExtension
    static final SharedKafkaMutations mutations = new SharedKafkaMutations();

    @Autowired
    private JdbcClient jdbc;

    /** method, path ({id} = an existing workflow or notification of the tenant), content type, body, status, field. */
    static Stream<Arguments> badRequests() {
        String json = ApiClient.JSON;
        return Stream.of(
                Arguments.of("POST", "/api/workflows", json, "{\"name\": ", 400, ""),
                Arguments.of("POST", "/api/workflows", json, "", 400, ""),
                Arguments.of("POST", "/api/workflows", json, "{\"name\": \"a\"} {\"name\": \"b\"}", 400, ""),
                Arguments.of("POST", "/api/workflows", json, "{\"name\": \"a\", \"colour\": \"red\"}", 400, "colour"),
                Arguments.of("POST", "/api/workflows", json, "{\"name\": \"a\", \"tenant\": \"other\"}", 400, "tenant"),
                Arguments.of("POST", "/api/workflows", json, "{\"name\": 5}", 400, "name"),
                Arguments.of("POST", "/api/workflows", json, "{\"name\": \"a\", \"steps\": \"many\"}", 400, "steps"),
                Arguments.of("POST", "/api/workflows", json, "{\"name\": \"a\", \"status\": \"DONE\"}", 400, "status"),
                Arguments.of("POST", "/api/workflows", json, "{\"name\": \"a\", \"status\": 1}", 400, "status"),
                Arguments.of("POST", "/api/workflows", json, "{\"name\": \" \"}", 400, "name"),
                Arguments.of("POST", "/api/workflows", json,
                        "{\"name\": \"a\", \"steps\": [{\"name\": \"s\"}]}", 400, "steps[0].action"),
                Arguments.of("POST", "/api/workflows", json, "{\"name\": \"a\", \"description\": \"" + BIG + "\"}", 413, null),
                Arguments.of("POST", "/api/workflows", "text/plain", "name=a", 415, null),
                Arguments.of("POST", "/api/workflows", json, DEEP_ARRAYS, 400, null),
                Arguments.of("POST", "/api/workflows", json, DEEP_OBJECTS, 400, null),
                Arguments.of("POST", "/api/workflows", json, "{\"name\": \"a\", \"steps\": " + DEEP_ARRAYS + "}", 400, null),
                Arguments.of("PATCH", "/api/workflows/{workflow}", json, DEEP_OBJECTS, 400, null),
                Arguments.of("POST", "/api/notifications", json, "{\"title\": \"t\", \"message\": " + DEEP_ARRAYS + "}", 400, null),
                Arguments.of("POST", "/api/notifications", json, "{\"title\": \"t\"", 400, ""),
                Arguments.of("POST", "/api/workflows/{workflow}", json, "{\"name\": \"a\"}", 405, null),
                Arguments.of("PUT", "/api/workflows/{workflow}", json, "{\"status\": \"ACTIVE\"}", 400, "name"),
                Arguments.of("PUT", "/api/workflows/abc", json, "{\"name\": \"a\"}", 400, "id"),
                Arguments.of("PUT", "/api/workflows/987654321", json, "{\"name\": \"a\"}", 404, null),
                Arguments.of("PUT", "/api/workflows/{workflow}", json, "{\"name\": \"taken\"}", 409, null),
                Arguments.of("PATCH", "/api/workflows/{workflow}", json, "{\"steps\": []}", 400, "steps"),
                Arguments.of("PATCH", "/api/workflows/{workflow}", json, "{\"name\": null}", 400, "name"),
                Arguments.of("PATCH", "/api/workflows/{workflow}", json, "{\"status\": \"NOPE\"}", 400, "status"),
                Arguments.of("PATCH", "/api/workflows/{workflow}", json, "[{\"op\": \"replace\"}]", 400, ""),
                Arguments.of("PATCH", "/api/workflows/{workflow}", json, "{\"name\": \"taken\"}", 409, null),
                Arguments.of("PATCH", "/api/workflows/987654321", json, "{\"name\": \"a\"}", 404, null),
                Arguments.of("PATCH", "/api/workflows/{workflow}", "text/plain", "name=a", 415, null),
                Arguments.of("DELETE", "/api/workflows/-1", null, null, 404, null),
                Arguments.of("DELETE", "/api/workflows/1.5", null, null, 400, "id"),
                Arguments.of("POST", "/api/notifications", json, "{\"message\": \"no title\"}", 400, "title"),
                Arguments.of("POST", "/api/notifications", json, "{\"title\": \"t\", \"read\": true}", 400, "read"),
                Arguments.of("PATCH", "/api/notifications/{notification}", json, "{\"read\": \"yes\"}", 400, "read"),
                Arguments.of("PATCH", "/api/notifications/{notification}", json, "{\"read\": null}", 400, "read"),
                Arguments.of("PATCH", "/api/notifications/{notification}", json, "{\"title\": \"t\"}", 400, "title"),
                Arguments.of("PATCH", "/api/notifications", json, "{}", 400, "all"),
                Arguments.of("PATCH", "/api/notifications", json, "{\"all\": true, \"ids\": [1]}", 400, "ids"),
                Arguments.of("PATCH", "/api/notifications", json, "{\"ids\": [\"one\"]}", 400, "ids[0]"),
                Arguments.of("PATCH", "/api/notifications", json, "{\"ids\": [0]}", 400, "ids[]"),
                Arguments.of("PATCH", "/api/notifications", json, "{\"ids\": [{notification}, 987654321]}", 404, null),
                Arguments.of("DELETE", "/api/notifications/99999999999999999999", null, null, 400, "id"));
    }

    @ParameterizedTest(name = "{0} {1} {3} -> {4}")
    @MethodSource("badRequests")
    void refusedWithAProblemAndNothingChanges(String method, String path, String contentType, String body,
            int status, String field) {
        String tenant = TestTokens.newTenant();
        ApiClient api = client(tenant);
        Fixtures fixtures = Fixtures.create(api);
        Map<String, Long> rowsBefore = new TenantRows(jdbc).of(tenant);
        assertThat(rowsBefore).as("tables checked").containsKeys("workflows", "workflow_steps", "notifications",
                "cachebus_outbox", "cachebus_sequence");
        String notificationBefore = api.get("/api/notifications/" + fixtures.notification).body();
        String workflowBefore = api.get("/api/workflows/" + fixtures.workflow).body();

        ApiResponse response = api.send(method, fixtures.expand(path), contentType, fixtures.expand(body));

        assertProblem(response, status, field);
        assertThat(new TenantRows(jdbc).of(tenant)).as("rows of the tenant").isEqualTo(rowsBefore);
        assertThat(api.get("/api/workflows/" + fixtures.workflow).body()).isEqualTo(workflowBefore);
        assertThat(api.get("/api/notifications/" + fixtures.notification).body()).isEqualTo(notificationBefore);
        assertNoMutationWasRecorded(api, tenant, fixtures);
    }

    @Test
    void aChunkedBodyOverTheLimitIsRefusedWhileReading() {
        String tenant = TestTokens.newTenant();
        ApiClient api = client(tenant);
        byte[] body = Json.object("name", "big", "description", BIG).getBytes();

        ApiResponse response = api.send("POST", "/api/workflows", ApiClient.JSON,
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));

        assertProblem(response, 413, null);
        assertThat(new TenantRows(jdbc).of(tenant).values()).containsOnly(0L);
    }

    @ParameterizedTest(name = "GET {0} -> 400 at {1}")
    @MethodSource("badQueries")
    void badQueryParametersAreRefused(String path, String field) {
        assertProblem(client(TestTokens.newTenant()).get(path), 400, field);
    }

    static Stream<Arguments> badQueries() {
        return Stream.of(
                Arguments.of("/api/workflows?page=-1", "page"),
                Arguments.of("/api/workflows?size=0", "size"),
                Arguments.of("/api/workflows?size=101", "size"),
                Arguments.of("/api/workflows?size=ten", "size"),
                Arguments.of("/api/workflows?page=99999999999", "page"),
                Arguments.of("/api/workflows?status=DONE", "status"),
                Arguments.of("/api/workflows?name=" + "n".repeat(101), "name"),
                Arguments.of("/api/workflows?name=a%00b", "name"),
                Arguments.of("/api/workflows?name=a%0Ab", "name"),
                Arguments.of("/api/workflows?name=a%E2%80%8Bb", "name"),
                Arguments.of("/api/workflows?page=500", "page"),
                Arguments.of("/api/workflows?page=100&size=100", "page"),
                Arguments.of("/api/workflows/step-counts?page=10000&size=1", "page"),
                Arguments.of("/api/notifications?page=2000&size=5", "page"),
                Arguments.of("/api/workflows/abc", "id"),
                Arguments.of("/api/workflows/abc/steps", "id"),
                Arguments.of("/api/notifications?unread=yes", "unread"),
                Arguments.of("/api/notifications?size=1000", "size"),
                Arguments.of("/api/notifications?size=2147483648", "size"),
                Arguments.of("/api/workflows?size=99999999999999999999", "size"),
                Arguments.of("/api/notifications/x1", "id"));
    }

    @Test
    void unknownPathsAreProblemsToo() {
        assertProblem(client(TestTokens.newTenant()).get("/api/nothing-here"), 404, null);
    }

    static void assertProblem(ApiResponse response, int status, String field) {
        assertThat(response.status()).as("%s", response).isEqualTo(status);
        assertThat(response.contentType()).as("%s", response).startsWith("application/problem+json");
        JsonNode problem = response.json();
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asString()).isNotBlank();
        assertThat(problem.get("detail").asString()).isNotBlank();
        if (field != null) {
            assertThat(problem.get("errors").valueStream().map(e -> e.get("field").asString()))
                    .as("fields named in %s", response).contains(field);
        }
    }

    /** Up to the tenant's next good write in each domain, the topic holds its earlier writes' events and no other. */
    private static void assertNoMutationWasRecorded(ApiClient api, String tenant, Fixtures fixtures) {
        assertThat(api.patch("/api/workflows/" + fixtures.workflow, Json.object("description", "after")).status())
                .isEqualTo(200);
        assertThat(api.patch("/api/notifications/" + fixtures.notification, Json.object("read", true)).status())
                .isEqualTo(200);
        for (String domain : List.of("workflows", "notifications")) {
            DomainMutated after = mutations.awaitEvent("the good PATCH of " + domain,
                    e -> e.tenant().equals(tenant) && e.domain().equals(domain)
                            && e.operation() == Operation.PATCH);
            long writesBefore = domain.equals("workflows") ? 2 : 1;
            // the good write's event came after every earlier event of its (tenant, domain): one partition, in order
            assertThat(mutations.of(tenant).stream().filter(e -> e.domain().equals(domain)).count())
                    .as("events of %s up to the first good write after the refused one (%s)", domain, after)
                    .isEqualTo(writesBefore + 1);
        }
    }

    /** Per test: a tenant's workflow, another named "taken" (for 409s) and a notification. */
    private record Fixtures(long workflow, long notification) {

        static Fixtures create(ApiClient api) {
            ApiResponse workflow = api.post("/api/workflows", Json.workflow("mine", null, "d",
                    List.of(Json.step("s", "a"))));
            ApiResponse taken = api.post("/api/workflows", Json.workflow("taken", null, null, List.of()));
            ApiResponse notification = api.post("/api/notifications", Json.object("title", "hello"));
            assertThat(List.of(workflow.status(), taken.status(), notification.status())).containsOnly(201);
            return new Fixtures(workflow.id(), notification.id());
        }

        String expand(String text) {
            return text == null ? null : text.replace("{workflow}", String.valueOf(workflow))
                    .replace("{notification}", String.valueOf(notification));
        }
    }
}
