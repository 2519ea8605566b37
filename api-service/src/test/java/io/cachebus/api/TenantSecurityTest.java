package io.cachebus.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import io.cachebus.api.security.LocalTokens;
import io.cachebus.api.testing.ApiIntegrationTest;
import io.cachebus.api.testing.TestTokens;
import io.cachebus.events.Names;
import io.cachebus.testfixtures.api.ApiClient;
import io.cachebus.testfixtures.api.ApiResponse;
import io.cachebus.testfixtures.api.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The tenant comes only from a valid token: bad tokens are 401 with a problem body, and one tenant can
 * neither read nor change another's data, cached or not (404, exactly as for an id that does not exist).
 */
class TenantSecurityTest extends ApiIntegrationTest {

    static Stream<Arguments> refusedTokens() {
        Instant now = Instant.now();
        return Stream.of(
                Arguments.of("no token", null),
                Arguments.of("not a JWT", "not-a-jwt"),
                Arguments.of("signed with another secret",
                        LocalTokens.mint("another-secret-that-is-long-enough-0123456789", "acme", Duration.ofHours(1), "x")),
                Arguments.of("no tenant claim", LocalTokens.sign(TestTokens.SECRET, claims(now).build())),
                Arguments.of("glob tenant", LocalTokens.sign(TestTokens.SECRET, claims(now).claim("tenant", "acme*").build())),
                Arguments.of("tenant with a separator",
                        LocalTokens.sign(TestTokens.SECRET, claims(now).claim("tenant", "acme:workflows").build())),
                Arguments.of("empty tenant", LocalTokens.sign(TestTokens.SECRET, claims(now).claim("tenant", "").build())),
                tenantClaim(now, "question-mark tenant", "acme?"),
                tenantClaim(now, "bracketed tenant", "acme[0-9]"),
                tenantClaim(now, "backslash tenant", "acme\\x"),
                tenantClaim(now, "tenant with a space", "acme corp"),
                tenantClaim(now, "tenant with a trailing space", "acme "),
                tenantClaim(now, "look-alike tenant (Cyrillic e)", "t\u0435nant"),
                tenantClaim(now, "look-alike tenant (fullwidth letters)", "\uff41cme"),
                tenantClaim(now, "over-long tenant", "t".repeat(Names.MAX_LENGTH + 1)),
                Arguments.of("numeric tenant", LocalTokens.sign(TestTokens.SECRET, claims(now).claim("tenant", 42).build())),
                Arguments.of("expired", LocalTokens.sign(TestTokens.SECRET, claims(now.minus(Duration.ofHours(2)))
                        .claim("tenant", "acme").expirationTime(Date.from(now.minus(Duration.ofHours(1)))).build())),
                Arguments.of("no expiry", LocalTokens.sign(TestTokens.SECRET, claims(now).claim("tenant", "acme")
                        .expirationTime(null).build())),
                Arguments.of("valid for longer than the maximum lifetime", LocalTokens.sign(TestTokens.SECRET,
                        claims(now).claim("tenant", "acme").expirationTime(Date.from(now.plus(Duration.ofDays(30))))
                                .build())),
                Arguments.of("no issuer", LocalTokens.sign(TestTokens.SECRET, claims(now).claim("tenant", "acme")
                        .issuer(null).build())),
                Arguments.of("another issuer", LocalTokens.sign(TestTokens.SECRET, claims(now).claim("tenant", "acme")
                        .issuer("https://elsewhere.example").build())),
                Arguments.of("no audience", LocalTokens.sign(TestTokens.SECRET, claims(now).claim("tenant", "acme")
                        .audience((String) null).build())),
                Arguments.of("another audience", LocalTokens.sign(TestTokens.SECRET, claims(now).claim("tenant", "acme")
                        .audience("another-api").build())),
                Arguments.of("unsigned (alg none)", unsigned("{\"tenant\":\"acme\",\"sub\":\"x\"}")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedTokens")
    void aBadTokenIsUnauthorizedWithAProblemBody(String why, String token) {
        ApiClient api = new ApiClient(port, token);
        for (ApiResponse response : List.of(api.get("/api/workflows"), api.get("/api/notifications/unread-count"),
                api.post("/api/notifications", Json.object("title", "sneaky")))) {
            BadInputTest.assertProblem(response, 401, null);
            assertThat(response.headers().firstValue("WWW-Authenticate")).get().asString().startsWith("Bearer");
        }
    }

    @Test
    void everyRefusedTokenGetsTheSameAnswerWhicheverCheckFailed() {
        List<String> tokens = refusedTokens().map(arguments -> (String) arguments.get()[1])
                .filter(token -> token != null).toList();
        Set<String> answers = new HashSet<>();
        for (String token : tokens) {
            ApiResponse response = new ApiClient(port, token).get("/api/workflows");
            answers.add(response.status() + " " + response.headers().allValues("WWW-Authenticate") + " "
                    + response.body());
        }
        assertThat(answers).as("no answer tells which check a token failed").hasSize(1);
    }

    @Test
    void writesNeedTheWriteScopeReadsDoNot() {
        String tenant = TestTokens.newTenant();
        long id = client(tenant).post("/api/notifications", Json.object("title", "mine")).id();
        ApiClient readOnly = new ApiClient(port, LocalTokens.sign(TestTokens.SECRET,
                LocalTokens.claims(tenant, Duration.ofMinutes(5), "reader").claim("scope", "cachebus.read").build()));

        assertThat(readOnly.get("/api/notifications/" + id).status()).isEqualTo(200);
        assertThat(readOnly.get("/api/workflows").status()).isEqualTo(200);
        for (ApiResponse response : List.of(readOnly.post("/api/notifications", Json.object("title", "x")),
                readOnly.patch("/api/notifications/" + id, Json.object("read", true)),
                readOnly.patch("/api/notifications", Json.object("all", true)),
                readOnly.delete("/api/notifications/" + id),
                readOnly.post("/api/workflows", Json.workflow("w", null, null, List.of())))) {
            BadInputTest.assertProblem(response, 403, null);
        }
        assertThat(client(tenant).get("/api/notifications/" + id).json().get("read").asBoolean())
                .as("nothing was written").isFalse();
    }

    @Test
    void anotherTenantsDataIsNotFoundForReadsAndWrites() {
        String owner = TestTokens.newTenant();
        ApiClient ownerApi = client(owner);
        ApiResponse workflow = ownerApi.post("/api/workflows", Json.workflow("secret plan", "ACTIVE", "d",
                List.of(Json.step("s", "a"))));
        ApiResponse notification = ownerApi.post("/api/notifications", Json.object("title", "private"));
        String workflowPath = "/api/workflows/" + workflow.id();
        String notificationPath = "/api/notifications/" + notification.id();
        // The owner's entries are in the cache when the other tenant asks for the same paths.
        getMissThenHit(ownerApi, owner, workflowPath);
        getMissThenHit(ownerApi, owner, workflowPath + "/steps");
        getMissThenHit(ownerApi, owner, notificationPath);
        String ownerList = getMissThenHit(ownerApi, owner, "/api/workflows").body();
        String ownerCount = getMissThenHit(ownerApi, owner, "/api/notifications/unread-count").body();

        String intruder = TestTokens.newTenant();
        ApiClient intruderApi = client(intruder);
        String missingWorkflow = intruderApi.get("/api/workflows/987654321").body();
        List<ApiResponse> refused = List.of(
                intruderApi.get(workflowPath),
                intruderApi.get(workflowPath + "/steps"),
                intruderApi.put(workflowPath, Json.workflow("mine now", null, null, List.of())),
                intruderApi.patch(workflowPath, Json.object("status", "ARCHIVED")),
                intruderApi.delete(workflowPath),
                intruderApi.get(notificationPath),
                intruderApi.patch(notificationPath, Json.object("read", true)),
                intruderApi.patch("/api/notifications", Json.object("ids", List.of(notification.id()))),
                intruderApi.delete(notificationPath));
        for (ApiResponse response : refused) {
            BadInputTest.assertProblem(response, 404, null);
        }
        assertThat(refused.get(0).body()).as("another tenant's id is answered exactly like a missing id")
                .isEqualTo(missingWorkflow.replace("987654321", String.valueOf(workflow.id())));
        assertThat(WorkflowCacheFlowTest.names(get(intruderApi, "/api/workflows"))).isEmpty();
        assertThat(get(intruderApi, "/api/notifications/unread-count").json().get("unread").asLong()).isZero();
        ApiResponse markAll = intruderApi.patch("/api/notifications", Json.object("all", true));
        assertThat(markAll.json().get("updated").asInt()).as("mark all read touches only the caller's").isZero();

        assertThat(ownerApi.get(workflowPath).body()).isEqualTo(workflow.body());
        assertThat(ownerApi.get(notificationPath).body()).isEqualTo(notification.body());
        assertThat(ownerApi.get("/api/workflows").body()).isEqualTo(ownerList);
        assertThat(ownerApi.get("/api/notifications/unread-count").body()).isEqualTo(ownerCount);
    }

    @Test
    void aTenantHeaderCannotOverrideTheToken() {
        String owner = TestTokens.newTenant();
        long id = client(owner).post("/api/notifications", Json.object("title", "mine")).id();
        String intruder = TestTokens.newTenant();

        ApiResponse response = client(intruder).send("GET", "/api/notifications/" + id + "?tenant=" + owner,
                null, (String) null);
        ApiResponse withHeader = client(intruder).withHeader("X-Tenant", owner).withHeader("Tenant", owner)
                .get("/api/notifications/" + id);

        assertThat(response.status()).isEqualTo(404);
        assertThat(withHeader.status()).isEqualTo(404);
    }

    @Test
    void healthInfoAndMetricsAreOpenOtherActuatorEndpointsAreNot() {
        ApiClient anonymous = anonymous();
        assertThat(anonymous.get("/actuator/health").status()).isEqualTo(200);
        assertThat(anonymous.get("/actuator/info").status()).isEqualTo(200);
        ApiResponse metrics = anonymous.withHeader("Accept", "text/plain").get("/actuator/prometheus");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("http_server_requests");
        assertThat(anonymous.get("/actuator/env").status()).isIn(401, 403, 404);
        assertThat(client(TestTokens.newTenant()).get("/actuator/env").status()).isIn(403, 404);
    }

    @Test
    void securityFiltersAreNotObservedPerRequest() {
        assertThat(client(TestTokens.newTenant()).get("/api/workflows").status()).isEqualTo(200);

        String metrics = anonymous().withHeader("Accept", "text/plain").get("/actuator/prometheus").body();

        // http.server.requests times the request; an observation per security filter would cost more than the
        // cached read it guards (management.observations.enable.spring.security=false)
        assertThat(metrics).contains("http_server_requests").doesNotContain("spring_security_");
    }

    /** A correctly signed, unexpired token whose tenant claim is not a valid tenant name. */
    private static Arguments tenantClaim(Instant now, String why, String tenant) {
        return Arguments.of(why, LocalTokens.sign(TestTokens.SECRET, claims(now).claim("tenant", tenant).build()));
    }

    private static JWTClaimsSet.Builder claims(Instant issuedAt) {
        // valid in every way but the one each case changes (LocalTokens.claims refuses invalid tenants itself)
        return new JWTClaimsSet.Builder().subject("someone").issuer(LocalTokens.ISSUER).audience(LocalTokens.AUDIENCE)
                .claim("scope", LocalTokens.WRITE_SCOPE).issueTime(Date.from(issuedAt))
                .expirationTime(Date.from(issuedAt.plus(Duration.ofHours(1))));
    }

    private static String unsigned(String claimsJson) {
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        return base64.encodeToString("{\"alg\":\"none\"}".getBytes()) + "."
                + base64.encodeToString(claimsJson.getBytes()) + ".";
    }
}
