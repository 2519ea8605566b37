package io.cachebus.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.api.security.LocalTokens;
import io.cachebus.api.testing.ApiIntegrationTest;
import io.cachebus.local.FreePorts;
import io.cachebus.testfixtures.api.ApiClient;
import io.cachebus.testfixtures.api.ApiResponse;
import io.cachebus.testfixtures.api.Json;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A fresh checkout runs the service with one flag: the local profile, the embedded database, and neither Kafka
 * nor Redis reachable. It starts, answers reads and writes, and a token signed with the local profile's
 * development secret (what {@code ./cachebus token --local} prints) works.
 */
class StartsWithoutInfrastructureTest {

    @Test
    void theLocalProfileServesRequestsWithNoKafkaAndNoRedis() {
        String nowhere = "127.0.0.1:" + FreePorts.next();
        SpringApplication application = new SpringApplication(ApiServiceApplication.class);
        application.setRegisterShutdownHook(false);
        // As on a machine without CACHEBUS_JWT_SECRET, whatever this JVM's environment holds (a secret set there
        // would otherwise win over the local profile's documented one).
        try (ConfigurableApplicationContext context = application.run("--spring.profiles.active=local",
                "--cachebus.security.jwt-secret=",
                "--server.port=0", "--spring.datasource.url=" + ApiIntegrationTest.freshH2Url(),
                "--spring.kafka.bootstrap-servers=" + nowhere, "--spring.data.redis.port=" + FreePorts.next())) {
            int port = ((WebServerApplicationContext) context).getWebServer().getPort();
            ApiClient api = new ApiClient(port,
                    LocalTokens.mint(LocalTokens.LOCAL_PROFILE_SECRET, "demo", Duration.ofHours(1), "test"));

            ApiResponse created = api.post("/api/workflows", Json.workflow("hello", null, null,
                    List.of(Json.step("greet", "log.info"))));
            assertThat(created.status()).as("%s", created).isEqualTo(201);
            assertThat(api.get("/api/workflows/" + created.id()).body()).isEqualTo(created.body());
            assertThat(api.get("/api/workflows/" + created.id() + "/steps").status()).isEqualTo(200);
            assertThat(api.post("/api/notifications", Json.object("title", "hi")).status()).isEqualTo(201);
            assertThat(api.get("/api/notifications/unread-count").json().get("unread").asLong()).isEqualTo(1);
            assertThat(new ApiClient(port, null).get("/actuator/health").status()).isEqualTo(200);
        }
    }
}
