package io.cachebus.minimal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cachebus.client.MutationPublisher;
import io.cachebus.client.Tier;
import io.cachebus.client.TieredCache;
import io.cachebus.client.event.CacheEvent;
import io.cachebus.client.event.CacheEventListener;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.ClassUtils;

/**
 * cache-client in a web application that has nothing else: no Kafka, Redis, database or actuator on the classpath
 * and nothing configured. It starts, caches node-locally (L1, then the in-memory fallback as L2), and says once
 * which features are off and why.
 */
@ExtendWith(OutputCaptureExtension.class)
class MinimalApplicationTest {

    /** One class of each optional dependency of cache-client; none may be on this module's classpath. */
    private static final List<String> OPTIONAL_LIBRARIES = List.of(
            "org.apache.kafka.clients.producer.KafkaProducer",
            "org.springframework.kafka.core.KafkaTemplate",
            "org.springframework.data.redis.connection.RedisConnectionFactory",
            "io.lettuce.core.RedisClient",
            "org.springframework.jdbc.core.JdbcTemplate",
            "org.springframework.boot.health.contributor.HealthIndicator",
            "io.micrometer.prometheusmetrics.PrometheusMeterRegistry",
            "net.sf.jsqlparser.parser.CCJSqlParserUtil");

    @Test
    void theClasspathHasNoneOfCacheClientsOptionalDependencies() {
        assertThat(OPTIONAL_LIBRARIES).noneMatch(name -> ClassUtils.isPresent(name, getClass().getClassLoader()));
    }

    @Test
    void itStartsServesFromTheCacheAndSaysWhichFeaturesAreOff(CapturedOutput output) throws Exception {
        List<CacheEvent.Lookup> lookups = new CopyOnWriteArrayList<>();
        CacheEventListener recorder = event -> {
            if (event instanceof CacheEvent.Lookup lookup) {
                lookups.add(lookup);
            }
        };
        try (ConfigurableApplicationContext context = start(recorder)) {
            assertThat(context.getBeansOfType(TieredCache.class)).hasSize(1);
            assertThat(context.getBeansOfType(MutationPublisher.class)).isEmpty();

            int port = ((WebServerApplicationContext) context).getWebServer().getPort();
            assertThat(get(port, "/greetings/ada")).isEqualTo("hello ada");
            assertThat(get(port, "/greetings/ada")).isEqualTo("hello ada");
            // the tiers the cache reports, not the loader's runs: a sampled hit (one in a thousand by default) runs
            // the loader once more on a thread of its own to compare, and the hit is still a hit
            assertThat(lookups).extracting(CacheEvent.Lookup::tier).as("the second read is a hit")
                    .containsExactly(Tier.LOADER, Tier.L1);
        }
        assertThat(output)
                .contains("cachebus: Redis L2 off, it needs spring-boot-starter-data-redis")
                .contains("cachebus: eviction subscription off, it needs spring-boot-starter-kafka")
                .contains("cachebus: staleness bound off")
                .contains("cachebus: transactional outbox off")
                .contains("cachebus: SqlCache off")
                .contains("cachebus: health indicator off, it needs spring-boot-starter-actuator");
    }

    @Test
    void aBadValueStopsTheStartAndTheReportNamesTheProperty(CapturedOutput output) {
        assertThatThrownBy(() -> start("--cachebus.outbox.sweep-interval=0")).isInstanceOf(Exception.class);
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("Property: cachebus.outbox.sweepInterval").contains("must be longer than 0");
    }

    @Test
    void aFeatureSwitchedOnWithoutItsLibraryStopsTheStartNamingPropertyAndDependency() {
        assertThatThrownBy(() -> start("--cachebus.l2.enabled=true"))
                .rootCause().hasMessageContaining("cachebus.l2.enabled=true")
                .hasMessageContaining("spring-boot-starter-data-redis");
    }

    private static ConfigurableApplicationContext start(String... arguments) {
        return start(event -> { }, arguments);
    }

    private static ConfigurableApplicationContext start(CacheEventListener listener, String... arguments) {
        String[] all = new String[arguments.length + 3];
        all[0] = "--server.port=0";
        all[1] = "--server.address=127.0.0.1";
        all[2] = "--spring.main.banner-mode=off";
        System.arraycopy(arguments, 0, all, 3, arguments.length);
        return new SpringApplicationBuilder(MinimalApplication.class)
                .initializers(context -> context.getBeanFactory().registerSingleton("lookupRecorder", listener))
                .run(all);
    }

    private static String get(int port, String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }
}
