package io.cachebus.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.api.openapi.OpenApiConfiguration;
import io.cachebus.api.testing.ApiIntegrationTest;
import io.cachebus.local.FreePorts;
import io.cachebus.testfixtures.api.ApiClient;
import io.cachebus.testfixtures.api.ApiResponse;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;

/**
 * /v3/api-docs describes every endpoint the controllers map, with its method, and says how to authenticate;
 * it is served without a token, while the API itself still needs one.
 */
class OpenApiDescriptionTest {

    private static ConfigurableApplicationContext context;
    private static ApiClient anonymous;

    @BeforeAll
    static void start() {
        String nowhere = "127.0.0.1:" + FreePorts.next();
        SpringApplication application = new SpringApplication(ApiServiceApplication.class);
        application.setRegisterShutdownHook(false);
        context = application.run("--spring.profiles.active=local", "--server.port=0",
                "--spring.datasource.url=" + ApiIntegrationTest.freshH2Url(),
                "--spring.kafka.bootstrap-servers=" + nowhere, "--spring.data.redis.port=" + FreePorts.next());
        anonymous = new ApiClient(((WebServerApplicationContext) context).getWebServer().getPort(), null);
    }

    @AfterAll
    static void stop() {
        if (context != null) {
            context.close();
        }
    }

    @Test
    void everyEndpointOfTheControllersIsDescribed() {
        Set<String> mapped = new TreeSet<>();
        RequestMappingHandlerMapping mappings = context.getBean("requestMappingHandlerMapping",
                RequestMappingHandlerMapping.class);
        mappings.getHandlerMethods().forEach((info, handler) -> {
            if (handler.getBeanType().getPackageName().startsWith("io.cachebus.api")) {
                endpoints(info).forEach(mapped::add);
            }
        });
        assertThat(mapped).as("the controllers' endpoints").hasSizeGreaterThanOrEqualTo(14)
                .contains("PATCH /api/notifications", "GET /api/workflows/{id}/steps");

        JsonNode paths = apiDocs().get("paths");
        Set<String> described = new TreeSet<>();
        paths.propertyNames().forEach(path -> paths.get(path).propertyNames()
                .forEach(method -> described.add(method.toUpperCase(Locale.ROOT) + " " + path)));
        assertThat(described).isEqualTo(mapped);
    }

    @Test
    void operationsNeedABearerTokenAndTheTenantIsNotAParameter() {
        JsonNode docs = apiDocs();
        assertThat(docs.at("/components/securitySchemes/" + OpenApiConfiguration.BEARER_SCHEME + "/scheme").asString())
                .isEqualTo("bearer");
        assertThat(docs.at("/security/0").has(OpenApiConfiguration.BEARER_SCHEME)).isTrue();
        docs.get("paths").forEach(operations -> operations.forEach(operation ->
                operation.path("parameters").forEach(parameter ->
                        assertThat(parameter.get("name").asString()).as("parameter of %s", operation.get("operationId"))
                                .isNotIn("tenant", "id.tenant"))));
        assertThat(docs.at("/paths/~1api~1workflows~1{id}/get/parameters/0/name").asString()).isEqualTo("id");
    }

    @Test
    void createdAndErrorResponsesAreDescribed() {
        JsonNode paths = apiDocs().get("paths");
        assertThat(paths.at("/~1api~1workflows/post/responses").has("201")).isTrue();
        assertThat(paths.at("/~1api~1notifications/post/responses").has("201")).isTrue();
        assertThat(paths.at("/~1api~1workflows~1{id}/patch/responses").propertyNames())
                .contains("200", "400", "401", "404", "413", "429");
        assertThat(paths.at("/~1api~1notifications~1unread-count/get/responses").propertyNames())
                .containsExactlyInAnyOrder("200", "401", "429");
        assertThat(paths.at("/~1api~1workflows/get/responses/400/content").has("application/problem+json")).isTrue();
        assertThat(paths.at("/~1api~1workflows~1{id}/get/responses/200/content").has("application/json")).isTrue();
    }

    @Test
    void theDescriptionIsPublicButTheApiIsNot() {
        assertThat(anonymous.get("/swagger-ui.html").status()).isIn(200, 302);
        assertThat(anonymous.get("/api/workflows").status()).isEqualTo(401);
    }

    private static JsonNode apiDocs() {
        ApiResponse response = anonymous.get("/v3/api-docs");
        assertThat(response.status()).as("%s", response).isEqualTo(200);
        return response.json();
    }

    private static Set<String> endpoints(RequestMappingInfo info) {
        Set<String> endpoints = new TreeSet<>();
        Set<String> methods = new TreeSet<>();
        info.getMethodsCondition().getMethods().forEach(method -> methods.add(method.name()));
        for (String pattern : info.getPatternValues()) {
            methods.forEach(method -> endpoints.add(method + " " + pattern));
        }
        return endpoints;
    }
}
