package io.cachebus.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cachebus.api.testing.ApiIntegrationTest;
import io.cachebus.api.testing.ApiNode;
import io.cachebus.api.testing.Scenario;
import io.cachebus.api.testing.TestTokens;
import io.cachebus.client.Tier;
import io.cachebus.local.junit.LocalKafkaExtension;
import io.cachebus.local.junit.RedisServerExtension;
import io.cachebus.local.redis.RedisServer;
import io.cachebus.testfixtures.api.ApiClient;
import io.cachebus.testfixtures.api.ApiResponse;
import io.cachebus.testfixtures.api.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The same service on PostgreSQL (a database of this test's own on 127.0.0.1:5432, dropped after): Flyway
 * migrates it, and the whole request scenario answers exactly as it does on the embedded H2. Skipped when no
 * PostgreSQL answers there.
 */
@ExtendWith({LocalKafkaExtension.class, RedisServerExtension.class})
class PostgresTest {

    private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";
    private static final String USER = "postgres";

    private static String database;

    @BeforeAll
    static void createDatabase() throws SQLException {
        assumeTrue(reachable(), "no PostgreSQL on 127.0.0.1:5432");
        database = "cachebus_api_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection admin = DriverManager.getConnection(SERVER + "postgres", USER, "");
                Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        }
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        if (database != null) {
            try (Connection admin = DriverManager.getConnection(SERVER + "postgres", USER, "");
                    Statement statement = admin.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
        }
    }

    @Test
    void migratesAndAnswersLikeTheEmbeddedDatabase(RedisServer redis) {
        List<String> onH2;
        try (ApiNode h2 = ApiNode.start(infrastructure(redis, Map.of(
                "spring.datasource.url", ApiIntegrationTest.freshH2Url())))) {
            onH2 = Scenario.outline(Scenario.run(h2.client(TestTokens.newTenant()), step -> {
            }));
        }
        try (ApiNode postgres = ApiNode.start(infrastructure(redis, Map.of(
                "spring.profiles.active", "postgres",
                "spring.datasource.url", SERVER + database,
                "spring.datasource.username", USER)))) {
            JdbcClient jdbc = postgres.bean(JdbcClient.class);
            assertThat(jdbc.sql("SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank")
                    .query(String.class).list()).containsExactly("1", "2", "3", "4");

            assertThat(Scenario.outline(Scenario.run(postgres.client(TestTokens.newTenant()), step -> {
            }))).isEqualTo(onH2);

            String tenant = TestTokens.newTenant();
            ApiClient api = postgres.client(tenant);
            for (String name : List.of("Billing sync", "billing_export", "Payroll 100%")) {
                assertThat(api.post("/api/workflows", Json.workflow(name, null, null, List.of())).status()).isEqualTo(201);
            }
            assertThat(api.post("/api/workflows", Json.workflow("Billing sync", null, null, List.of())).status())
                    .as("unique name per tenant").isEqualTo(409);
            assertThat(names(api.get("/api/workflows?name=BILLING"))).containsExactly("Billing sync", "billing_export");
            assertThat(names(api.get("/api/workflows?name=_"))).containsExactly("billing_export");
            assertThat(names(api.get("/api/workflows?name=100%25"))).containsExactly("Payroll 100%");
            assertThat(names(api.get("/api/workflows?name=100%25"))).containsExactly("Payroll 100%");
            assertThat(postgres.cacheEvents().tiers(tenant, "/api/workflows")).as("the repeated GET")
                    .endsWith(Tier.LOADER, Tier.L1);
            assertThat(postgres.client(TestTokens.newTenant()).get("/api/workflows").json().get("totalItems").asLong())
                    .as("another tenant sees none of them").isZero();
        }
    }

    private static List<String> names(ApiResponse page) {
        assertThat(page.status()).as("%s", page).isEqualTo(200);
        return WorkflowCacheFlowTest.names(page);
    }

    private static Map<String, Object> infrastructure(RedisServer redis, Map<String, Object> database) {
        Map<String, Object> properties = new HashMap<>(database);
        properties.put("spring.data.redis.port", redis.port());
        properties.put("spring.kafka.bootstrap-servers", System.getProperty(LocalKafkaExtension.BOOTSTRAP_PROPERTY));
        return properties;
    }

    private static boolean reachable() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", 5432), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
