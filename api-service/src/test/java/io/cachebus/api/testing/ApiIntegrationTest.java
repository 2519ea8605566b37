package io.cachebus.api.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.api.ApiServiceApplication;
import io.cachebus.client.Tier;
import io.cachebus.local.junit.LocalKafkaExtension;
import io.cachebus.local.junit.RedisServerExtension;
import io.cachebus.testfixtures.api.ApiClient;
import io.cachebus.testfixtures.api.ApiResponse;
import io.cachebus.testfixtures.events.RecordedCacheEvents;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One API node on a random port, on the run's shared Kafka broker, a redis-server of the test class's own
 * (killable) and an H2 database of its own. The context is closed after the class: the next class has
 * another Redis. Each test uses fresh tenants, so tests in a class never see each other's data.
 */
@ExtendWith({LocalKafkaExtension.class, RedisServerExtension.class})
@SpringBootTest(classes = {ApiServiceApplication.class, ApiIntegrationTest.Recording.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
public abstract class ApiIntegrationTest {

    @LocalServerPort
    protected int port;

    @Autowired
    protected RecordedCacheEvents cacheEvents;

    @Autowired
    private ApplicationContext context;

    @BeforeEach
    void awaitNodeReady() {
        NodeReadiness.awaitEvictionSubscription(context);
    }

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", () -> System.getProperty(LocalKafkaExtension.BOOTSTRAP_PROPERTY));
        registry.add("spring.data.redis.host", () -> "127.0.0.1");
        registry.add("spring.data.redis.port", () -> System.getProperty(RedisServerExtension.PORT_PROPERTY));
        String database = freshH2Url(); // once per context: a supplier is asked again on every lookup
        registry.add("spring.datasource.url", () -> database);
        TestTokens.PROPERTIES.forEach((name, value) -> registry.add(name, () -> value));
        // one node and no invalidator: nothing would ever show the node is current, so it would never serve from
        // its caches; the bound is tested on clusters with invalidators (cluster-tests, cache-client)
        registry.add("cachebus.consistency.enforce", () -> "false");
    }

    /** An in-memory H2 database no other test context uses, in the same dialect settings as the default one. */
    public static String freshH2Url() {
        return "jdbc:h2:mem:api-" + UUID.randomUUID()
                + ";DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
    }

    protected ApiClient client(String tenant) {
        return new ApiClient(port, TestTokens.forTenant(tenant));
    }

    protected ApiClient anonymous() {
        return new ApiClient(port, null);
    }

    /** GET twice: the first is answered by the loader (a miss), the second by L1 with the same body. */
    protected ApiResponse getMissThenHit(ApiClient api, String tenant, String path) {
        ApiResponse miss = get(api, path);
        assertThat(lastTier(tenant, path)).as("first GET %s", path).isEqualTo(Tier.LOADER);
        ApiResponse hit = get(api, path);
        assertThat(lastTier(tenant, path)).as("second GET %s", path).isEqualTo(Tier.L1);
        assertThat(hit.body()).as("cached body of %s", path).isEqualTo(miss.body());
        return hit;
    }

    /** GET after a write on this node: loaded again (never the cached pre-write entry). */
    protected ApiResponse getReloaded(ApiClient api, String tenant, String path) {
        ApiResponse response = get(api, path);
        assertThat(lastTier(tenant, path)).as("GET %s after the write", path).isEqualTo(Tier.LOADER);
        return response;
    }

    protected ApiResponse get(ApiClient api, String path) {
        ApiResponse response = api.get(path);
        assertThat(response.status()).as("%s", response).isEqualTo(200);
        return response;
    }

    protected Tier lastTier(String tenant, String path) {
        String resource = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        List<Tier> tiers = cacheEvents.tiers(tenant, resource);
        assertThat(tiers).as("cache lookups of %s for %s", resource, tenant).isNotEmpty();
        return tiers.get(tiers.size() - 1);
    }

    @TestConfiguration(proxyBeanMethods = false)
    public static class Recording {

        @Bean
        RecordedCacheEvents recordedCacheEvents() {
            return new RecordedCacheEvents();
        }
    }
}
