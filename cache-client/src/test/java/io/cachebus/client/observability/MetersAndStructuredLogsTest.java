package io.cachebus.client.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cachebus.client.CacheKey;
import io.cachebus.client.CachebusMeter;
import io.cachebus.client.Tier;
import io.cachebus.client.autoconfigure.CachebusAutoConfiguration;
import io.cachebus.client.testsupport.Invalidator;
import io.cachebus.client.testsupport.Node;
import io.cachebus.client.testsupport.Workflow;
import io.cachebus.events.DomainMutated;
import io.cachebus.events.Operation;
import io.cachebus.invalidator.InvalidatorMeter;
import io.cachebus.local.junit.LocalKafkaExtension;
import io.cachebus.local.junit.RedisServerExtension;
import io.cachebus.local.kafka.BusTopics;
import io.cachebus.local.kafka.KafkaBroker;
import io.cachebus.local.redis.RedisServer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A node and the real invalidator, started, a read and a write later: every meter they registered under the
 * project's prefixes is one their module declares ({@link CachebusMeter}, {@link InvalidatorMeter}), and the
 * outbox relay's, the invalidator's and the eviction's log lines carry tenant, domain and event ids as fields of
 * Spring Boot's structured console format.
 */
@ExtendWith({RedisServerExtension.class, LocalKafkaExtension.class, OutputCaptureExtension.class})
class MetersAndStructuredLogsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void meterNamesAreDeclaredAndLogLinesCarryTenantDomainAndEventIds(KafkaBroker kafka, RedisServer redis,
            CapturedOutput output) {
        BusTopics topics = BusTopics.create(kafka, "observability");
        String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
        // logging is one per JVM, set up by the first context started (the node), for the invalidator's lines too
        try (Node node = Node.named("observed").redis(redis).kafka(kafka.bootstrapServers()).topics(topics)
                     .evictions()
                     .property("logging.structured.format.console", "ecs")
                     .property("logging.config", "classpath:structured-logback-test.xml")
                     .property("logging.level.io.cachebus.client.internal.outbox.OutboxRelay", "DEBUG")
                     .property("logging.level.io.cachebus.client.internal.eviction.EvictionBroadcastHandler", "DEBUG")
                     // a batch's line per group is at DEBUG (one INFO line per Redis round trip)
                     .property("logging.level.io.cachebus.invalidator.invalidation.RedisInvalidator", "DEBUG")
                     .start();
             Invalidator invalidator = Invalidator.start(kafka.bootstrapServers(), redis, topics)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> node.evictionListener().assignments() >= 1);
            CacheKey key = CacheKey.of(tenant, "workflows").resource("/api/workflows/w1").build();
            assertThat(node.read(key, Workflow.class, () -> Workflow.named("v1")).tier()).isEqualTo(Tier.LOADER);
            assertThat(node.read(key, Workflow.class, () -> Workflow.named("v1")).tier()).isEqualTo(Tier.L1);
            DomainMutated event = node.transactions().execute(status ->
                    node.publisher().recordMutation(tenant, "workflows", Operation.PATCH, "w1"));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> node.count(CachebusMeter.EVICTIONS_RECEIVED.meterName(), "domain", "workflows") >= 1);

            assertThat(projectMeterNames(node.meters())).isNotEmpty()
                    .isSubsetOf(Arrays.stream(CachebusMeter.values()).map(CachebusMeter::meterName).toList());
            assertThat(projectMeterNames(invalidator.context().getBean(MeterRegistry.class))).isNotEmpty()
                    .isSubsetOf(Arrays.stream(InvalidatorMeter.values()).map(InvalidatorMeter::meterName).toList());
            assertTheLookupTimerAndCaffeinesStatistics(node.meters());
            assertTheWritesStepsAreTimed(node.meters());

            String eventId = event.eventId().toString();
            // the handler logs just after it counts
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertFields(logLine(output, "eviction applied", tenant), tenant, eventId, "eventIds"));
            assertFields(logLine(output, "outbox event sent", tenant), tenant, eventId, "eventId");
            assertFields(logLine(output, "invalidated", tenant), tenant, eventId, "eventIds");
        }
    }

    private static void assertTheLookupTimerAndCaffeinesStatistics(MeterRegistry meters) {
        Timer l1 = meters.get(CachebusMeter.CACHE_LOOKUP.meterName()).tag("tier", "l1").timer();
        Timer loader = meters.get(CachebusMeter.CACHE_LOOKUP.meterName()).tag("tier", "loader").timer();
        assertThat(l1.count()).isEqualTo(1);
        assertThat(loader.count()).isEqualTo(1);
        assertThat(meters.find(CachebusMeter.CACHE_LOOKUPS.meterName()).tag("tier", "l1").counters())
                .extracting(counter -> (long) counter.count()).containsExactly(l1.count());
        assertThat(meters.get("cache.gets").tag("cache", CachebusAutoConfiguration.L1_CACHE_NAME)
                .tag("result", "hit").functionCounter().count()).isPositive();
    }

    /** The one write: its recording in the transaction and its work after the commit, each timed once. */
    private static void assertTheWritesStepsAreTimed(MeterRegistry meters) {
        for (CachebusMeter step : List.of(CachebusMeter.OUTBOX_RECORD, CachebusMeter.OUTBOX_AFTER_COMMIT)) {
            Timer timer = meters.get(step.meterName()).timer();
            assertThat(timer.count()).as(step.meterName()).isOne();
            assertThat(timer.totalTime(TimeUnit.NANOSECONDS)).as(step.meterName()).isPositive();
            assertThat(timer.takeSnapshot().histogramCounts()).as("%s publishes its histogram", step.meterName())
                    .isNotEmpty();
        }
    }

    private static Set<String> projectMeterNames(MeterRegistry meters) {
        return meters.getMeters().stream().map(meter -> meter.getId().getName())
                .filter(name -> name.startsWith("cachebus.") || name.startsWith("sba."))
                .collect(Collectors.toSet());
    }

    /** The first structured (JSON) line whose message starts with {@code message} and names the tenant. */
    private static JsonNode logLine(CapturedOutput output, String message, String tenant) {
        List<JsonNode> lines = output.getOut().lines().filter(line -> line.startsWith("{")).map(JSON::readTree)
                .filter(line -> line.path("message").asString().startsWith(message))
                .filter(line -> line.path("message").asString().contains(tenant)).toList();
        assertThat(lines).as("a structured line \"%s…\" in the console output", message).isNotEmpty();
        return lines.get(0);
    }

    private static void assertFields(JsonNode line, String tenant, String eventId, String eventIdField) {
        assertThat(line.path("tenant").asString()).as(line.toString()).isEqualTo(tenant);
        assertThat(line.path("domain").asString()).as(line.toString()).isEqualTo("workflows");
        assertThat(line.path(eventIdField).asString()).as(line.toString()).contains(eventId);
    }
}
