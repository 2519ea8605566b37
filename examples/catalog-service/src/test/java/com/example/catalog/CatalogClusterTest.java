package com.example.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cachebus.client.autoconfigure.CachebusAutoConfigurations;
import io.cachebus.client.internal.consistency.EnforcedStalenessBound;
import io.cachebus.invalidator.InvalidatorApplication;
import io.cachebus.local.junit.LocalKafkaExtension;
import io.cachebus.local.junit.RedisServerExtension;
import io.cachebus.local.kafka.KafkaBroker;
import io.cachebus.local.postgres.PostgresDatabase;
import io.cachebus.local.redis.RedisServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.json.JsonMapper;

/**
 * Three nodes of the catalog, unchanged, on one PostgreSQL database, a redis-server, the in-process Kafka broker and
 * the real invalidator: a price changed through one node is what the other two serve, after having served the old
 * one from their caches, within cachebus's staleness bound (1 s by default).
 */
@ExtendWith({RedisServerExtension.class, LocalKafkaExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CatalogClusterTest {

    /** cachebus.consistency.max-staleness, left at its default by the catalog. */
    private static final Duration BOUND = Duration.ofSeconds(1);

    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();
    private PostgresDatabase database;
    private ConfigurableApplicationContext invalidator;
    private final List<ConfigurableApplicationContext> nodes = new ArrayList<>();

    @BeforeAll
    void start(KafkaBroker kafka, RedisServer redis) throws InterruptedException {
        assumeTrue(PostgresDatabase.isReachable(), "PostgreSQL is not reachable at 127.0.0.1:5432");
        database = PostgresDatabase.create("catalog");
        invalidator = startInvalidator(kafka, redis);
        for (int i = 1; i <= 3; i++) {
            nodes.add(startNode("catalog-" + i, kafka, redis));
        }
        awaitWithinTheBound();
    }

    /**
     * A node serves from its caches only once its first freshness probe has shown it within the bound; until then it
     * reads through to the database. The test's reads of "served from the caches" must not race that probe (a node
     * started last, on a busy machine, still read through when the test began).
     */
    private void awaitWithinTheBound() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (nodes.stream().anyMatch(node -> node.getBean(EnforcedStalenessBound.class).lagSeconds()
                >= BOUND.toSeconds())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("a node did not come within its staleness bound in 30 s");
            }
            Thread.sleep(20);
        }
    }

    private static ConfigurableApplicationContext startInvalidator(KafkaBroker kafka, RedisServer redis) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("spring.main.banner-mode", "off");
        properties.put("spring.config.name", InvalidatorApplication.CONFIG_NAME);
        properties.put("spring.kafka.bootstrap-servers", kafka.bootstrapServers());
        properties.put("spring.data.redis.host", redis.host());
        properties.put("spring.data.redis.port", redis.port());
        // the catalog's classpath carries cache-client (every one of its auto-configurations) and a database: they
        // belong to the API nodes
        List<String> excluded = new ArrayList<>(CachebusAutoConfigurations.names());
        excluded.add("org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration");
        properties.put("spring.autoconfigure.exclude", String.join(",", excluded));
        return run(InvalidatorApplication.class, WebApplicationType.NONE, properties);
    }

    private ConfigurableApplicationContext startNode(String name, KafkaBroker kafka, RedisServer redis) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("spring.main.banner-mode", "off");
        properties.put("server.port", 0);
        properties.put("cachebus.node-id", name);
        properties.put("spring.datasource.url", database.jdbcUrl());
        properties.put("spring.datasource.username", database.user());
        properties.put("spring.kafka.bootstrap-servers", kafka.bootstrapServers());
        properties.put("spring.data.redis.host", redis.host());
        properties.put("spring.data.redis.port", redis.port());
        return run(CatalogApplication.class, WebApplicationType.SERVLET, properties);
    }

    /**
     * Properties as command-line arguments, above the system property the in-process broker sets and the
     * applications' own {@code application.yml}.
     */
    private static ConfigurableApplicationContext run(Class<?> application, WebApplicationType type,
            Map<String, Object> properties) {
        String[] arguments = properties.entrySet().stream().map(p -> "--" + p.getKey() + "=" + p.getValue())
                .toArray(String[]::new);
        return new SpringApplicationBuilder(application).web(type).run(arguments);
    }

    @AfterAll
    void stop() {
        nodes.forEach(ConfigurableApplicationContext::close);
        if (invalidator != null) {
            invalidator.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void aPriceChangedOnOneNodeIsServedByTheOtherTwoWithinTheBound() throws Exception {
        Product added = json.readValue(send(node(1), "POST", "/products", "{\"name\":\"kettle\",\"priceCents\":2500}")
                .body(), Product.class);
        for (int n = 2; n <= 3; n++) {
            assertThat(product(node(n), added.id()).priceCents()).isEqualTo(2500);
            double cachedBefore = hits(node(n));
            assertThat(product(node(n), added.id()).priceCents()).isEqualTo(2500);
            assertThat(hits(node(n))).as("node %d serves the product from its caches", n).isGreaterThan(cachedBefore);
        }

        long written = System.nanoTime();
        HttpResponse<String> repriced = send(node(1), "PUT", "/products/" + added.id() + "/price",
                "{\"priceCents\":1999}");
        long answered = System.nanoTime();
        assertThat(repriced.statusCode()).isEqualTo(200);
        assertThat(product(node(1), added.id()).priceCents()).as("the writer reads its write").isEqualTo(1999);

        Map<Integer, Duration> seenAfter = new LinkedHashMap<>();
        while (seenAfter.size() < 2 && System.nanoTime() - answered < BOUND.toNanos()) {
            for (int n = 2; n <= 3; n++) {
                if (!seenAfter.containsKey(n) && product(node(n), added.id()).priceCents() == 1999) {
                    seenAfter.put(n, Duration.ofNanos(System.nanoTime() - written));
                }
            }
        }
        // what the bound promises, whatever the machine's load: past it, no node serves the old price
        Thread.sleep(Math.max(0, (answered + BOUND.toNanos() - System.nanoTime()) / 1_000_000));
        for (int n = 2; n <= 3; n++) {
            assertThat(product(node(n), added.id()).priceCents()).as("node %d past the bound", n).isEqualTo(1999);
            assertThat(all(node(n))).as("node %d's listing past the bound", n).contains(
                    new Product(added.id(), "kettle", 1999));
        }
        System.out.println("catalog: the new price reached nodes 2 and 3 after " + seenAfter
                + " from the write's start (bound " + BOUND + ")");

        double cachedBefore = hits(node(2));
        product(node(2), added.id());
        assertThat(hits(node(2))).as("and caches it again").isGreaterThan(cachedBefore);
    }

    @Test
    void badInputIsAProblem() throws Exception {
        HttpResponse<String> response = send(node(2), "PUT", "/products/1/price", "{\"priceCents\":-5}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(send(node(3), "GET", "/products/987654321", null).statusCode()).isEqualTo(404);
    }

    private ConfigurableApplicationContext node(int n) {
        return nodes.get(n - 1);
    }

    private Product product(ConfigurableApplicationContext node, long id) throws Exception {
        HttpResponse<String> response = send(node, "GET", "/products/" + id, null);
        assertThat(response.statusCode()).isEqualTo(200);
        return json.readValue(response.body(), Product.class);
    }

    private List<Product> all(ConfigurableApplicationContext node) throws Exception {
        return List.of(json.readValue(send(node, "GET", "/products", null).body(), Product[].class));
    }

    /** Reads this node answered from L1 or L2 (cachebus's lookup counter). */
    private static double hits(ConfigurableApplicationContext node) {
        return node.getBean(MeterRegistry.class).find("cachebus.cache.lookups").tag("domain", "products").counters()
                .stream().filter(counter -> !"loader".equals(counter.getId().getTag("tier")))
                .mapToDouble(Counter::count).sum();
    }

    private HttpResponse<String> send(ConfigurableApplicationContext node, String method, String path, String body)
            throws Exception {
        int port = ((WebServerApplicationContext) node).getWebServer().getPort();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10));
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
