package io.cachebus.invalidator;

import static io.cachebus.invalidator.testing.TestEvents.entityWrite;
import static io.cachebus.invalidator.testing.TestEvents.mutation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cachebus.events.CacheKeys;
import io.cachebus.events.DomainMutated;
import io.cachebus.events.EventCodec;
import io.cachebus.events.EvictionBatch;
import io.cachebus.events.EvictionBatch.CommittedRange;
import io.cachebus.events.EvictionBatch.ScopeEviction;
import io.cachebus.events.EvictionBroadcast;
import io.cachebus.events.Tag;
import io.cachebus.invalidator.consumer.ConsumerConfiguration;
import io.cachebus.invalidator.consumer.DeadLetterHeaders;
import io.cachebus.invalidator.invalidation.InvalidationMetrics;
import io.cachebus.invalidator.testing.KafkaTestClient;
import io.cachebus.invalidator.testing.KafkaTestClient.TopicReader;
import io.cachebus.invalidator.testing.NodeReads;
import io.cachebus.invalidator.testing.RunningInvalidator;
import io.cachebus.local.junit.LocalKafkaExtension;
import io.cachebus.local.junit.RedisServerExtension;
import io.cachebus.local.kafka.BusTopics;
import io.cachebus.local.kafka.KafkaBroker;
import io.cachebus.local.redis.RedisServer;
import io.micrometer.core.instrument.Timer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.support.KafkaHeaders;

/**
 * The invalidator as deployed (its own main class and invalidator.yml) on the shared in-process Kafka broker
 * and a real redis-server: the normal path, a burst, and poison messages. Each test uses its own tenant.
 */
@ExtendWith({LocalKafkaExtension.class, RedisServerExtension.class})
class InvalidatorFlowTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Tag UNREAD = new Tag("notifications", "unread-count");

    private static BusTopics topics;
    private static RunningInvalidator invalidator;
    private static KafkaTestClient kafka;
    private static StringRedisTemplate redis;

    @BeforeAll
    static void start(KafkaBroker broker, RedisServer redisServer) {
        topics = BusTopics.create(broker, "flow");
        invalidator = RunningInvalidator.on(broker, redisServer.port(), topics).web()
                .property("cachebus.invalidator.metrics.tenant-label", true) // off by default; its export is tested here
                .start();
        kafka = new KafkaTestClient(broker, topics);
        redis = invalidator.context().getBean(StringRedisTemplate.class);
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
        if (invalidator != null) {
            invalidator.close();
        }
    }

    @Test
    void aMutationMovesTheGenerationInRedisThenIsBroadcastAndItsOffsetCommitted() {
        DomainMutated event = mutation("t-e2e", "workflows", 1, UNREAD);
        long agesBefore = mutationAges().count();
        long pollsToBroadcastBefore = pollsToBroadcast().count();

        kafka.publish(List.of(event));

        try (TopicReader evictions = kafka.evictions()) {
            ConsumerRecord<String, byte[]> record = await().atMost(TIMEOUT).until(
                    () -> recordNaming(evictions, event.eventId()), r -> r != null);
            EvictionBatch batch = new EventCodec().decodeEvictionBatch(record.value());
            assertThat(record.partition()).as("the partition of the key, as per-group broadcasts had it")
                    .isEqualTo(Utils.toPositive(Utils.murmur2("t-e2e:workflows".getBytes(StandardCharsets.UTF_8)))
                            % KafkaBroker.EVICTION_PARTITIONS);
            ScopeEviction scope = batch.scopes().get(0);
            assertThat(batch.scopes()).containsExactly(new ScopeEviction("t-e2e", "workflows", List.of(UNREAD), 1, 1,
                    scope.generation(), 1, Map.of(event.sourceNode(), List.of(event.eventId())), false));
            assertThat(batch.invalidatorId()).isEqualTo(invalidator.invalidatorId());
            assertThat(batch.committedRange()).hasValue(new CommittedRange(event.committedAt(), event.committedAt()));
            assertThat(batch.partitions()).as("the progress the batch brings").isNotEmpty();
            assertThat(batch.emittedAt()).isAfterOrEqualTo(event.committedAt());
            assertThat(redis.opsForValue().get(CacheKeys.generationKeyOfDomain("t-e2e", "workflows")))
                    .isEqualTo(String.valueOf(scope.generation()));
        }
        assertThat(redis.opsForValue().get(CacheKeys.generationKey("t-e2e", UNREAD))).isNotNull();
        await().atMost(TIMEOUT).untilAsserted(() ->
                assertThat(kafka.committedOffsets()).containsAllEntriesOf(kafka.nonEmptyEndOffsets()));
        assertThat(mutationAges().count()).as("the event's age at the poll, from its commit").isGreaterThan(agesBefore);
        assertThat(mutationAges().takeSnapshot().histogramCounts()).as("a percentile histogram").isNotEmpty();
        assertThat(pollsToBroadcast().count()).as("the batch's time from its poll to its broadcast")
                .isGreaterThan(pollsToBroadcastBefore);
        assertThat(pollsToBroadcast().takeSnapshot().histogramCounts()).as("a percentile histogram").isNotEmpty();
    }

    private static Timer pollsToBroadcast() {
        return invalidator.meters().get(InvalidatorMeter.POLL_TO_BROADCAST.meterName()).timer();
    }

    private static Timer mutationAges() {
        return invalidator.meters().get(InvalidatorMeter.MUTATION_AGE.meterName()).timer();
    }

    /**
     * ADR 0017, with the service's defaults: writes of single entities bump those entities' and the domain's
     * collections' counters, not the domain's, and the broadcast names the entities with the collections' generation.
     */
    @Test
    void writesOfSingleEntitiesMoveTheirEntitiesAndTheCollectionsAndAreBroadcastWithTheirEntities() {
        String domainCounter = CacheKeys.generationKeyOfDomain("t-entity", "workflows");
        redis.opsForValue().set(domainCounter, "17");
        DomainMutated first = entityWrite("t-entity", "workflows", 1, "w1");
        DomainMutated second = entityWrite("t-entity", "workflows", 2, "w2");
        String w1 = CacheKeys.entityGenerationKey("t-entity", "workflows", "w1");
        // a node read w1 (its read creates the counter); nobody read w2
        long w1Read = NodeReads.readGenerations(redis, "t-entity", w1).get(0);

        kafka.publish(List.of(first, second));

        try (TopicReader evictions = kafka.evictions()) {
            ConsumerRecord<String, byte[]> record = await().atMost(TIMEOUT).until(
                    () -> recordNaming(evictions, second.eventId()), r -> r != null);
            List<ScopeEviction> scopes = new EventCodec().decodeEvictionBatch(record.value()).scopes().stream()
                    .filter(scope -> scope.tenant().equals("t-entity")).toList();
            assertThat(scopes).flatExtracting(ScopeEviction::entityIds).containsExactlyInAnyOrder("w1", "w2");
            ScopeEviction last = scopes.get(scopes.size() - 1);
            assertThat(redis.opsForValue().get(CacheKeys.collectionsGenerationKey("t-entity", "workflows")))
                    .isEqualTo(String.valueOf(last.generation()));
        }
        assertThat(redis.opsForValue().get(w1)).isEqualTo(String.valueOf(w1Read + 1));
        assertThat(redis.hasKey(CacheKeys.entityGenerationKey("t-entity", "workflows", "w2")))
                .as("no counter for an entity nobody read (ADR 0023)").isFalse();
        assertThat(redis.opsForValue().get(domainCounter)).as("the domain's counter did not move").isEqualTo("17");
    }

    @Test
    void aBurstOfTenThousandEventsForOneDomainTakesAHandfulOfInvalidationsAndEveryEventIsBroadcast() {
        List<DomainMutated> burst = IntStream.rangeClosed(1, 10_000)
                .mapToObj(seq -> mutation("t-burst", "workflows", seq)).toList();
        Set<UUID> ids = burst.stream().map(DomainMutated::eventId).collect(Collectors.toSet());
        long firstGeneration;

        kafka.publish(burst);

        try (TopicReader evictions = kafka.evictions()) {
            await().atMost(TIMEOUT).until(() -> evictions.broadcastEventIds().containsAll(ids));
            List<EvictionBroadcast> broadcasts = evictions.broadcastsNaming(ids);
            assertThat(broadcasts).allSatisfy(b -> {
                assertThat(b.eventIds()).hasSizeLessThanOrEqualTo(EvictionBroadcast.MAX_EVENT_IDS);
                assertThat(b.toSequence() - b.fromSequence() + 1).isEqualTo(b.eventIds().size());
            });
            assertThat(broadcasts.stream().mapToLong(EvictionBroadcast::fromSequence).min()).hasValue(1);
            assertThat(broadcasts.stream().mapToLong(EvictionBroadcast::toSequence).max()).hasValue(10_000);
            firstGeneration = broadcasts.stream().mapToLong(EvictionBroadcast::generation).min().orElseThrow();
        }
        double invalidations = invalidator.meters().counter(InvalidationMetrics.INVALIDATIONS,
                "domain", "workflows", "tenant", "t-burst").count();
        System.out.printf("burst of %d events: invalidations=%.0f%n", burst.size(), invalidations);
        assertThat(invalidations).isBetween(1.0, 49.0);
        assertThat(redis.opsForValue().get(CacheKeys.generationKeyOfDomain("t-burst", "workflows")))
                .as("each counted invalidation is one INCR")
                .isEqualTo(String.valueOf(firstGeneration + (long) invalidations - 1));
    }

    @Test
    void poisonMessagesGoToTheDeadLetterTopicWithTheirReasonAndTheNextValidEventIsStillProcessed() {
        EventCodec codec = new EventCodec();
        String key = CacheKeys.recordKey("t-poison", "workflows");
        DomainMutated before = mutation("t-poison", "workflows", 1);
        DomainMutated after = mutation("t-poison", "workflows", 2);
        String valid = new String(codec.encode(mutation("t-poison", "workflows", 3)), StandardCharsets.UTF_8);
        List<Poison> poisons = List.of(
                new Poison(new byte[] {0, (byte) 0xff, 'x', '{'}, "MALFORMED_JSON", null),
                new Poison(replaced(valid, "\"schema\":1", "\"schema\":2"), "UNSUPPORTED_SCHEMA_VERSION", "schema"),
                new Poison(replaced(valid, "\"tenant\":\"t-poison\"", "\"tenant\":\"a*\""), "INVALID_VALUE", "tenant"),
                new Poison(replaced(valid, "\"sourceNode\":", "\"padding\":\"" + "x".repeat(17_000) + "\",\"sourceNode\":"),
                        "OVERSIZED", null));

        kafka.publishRaw(key, codec.encode(before));
        List<RecordMetadata> poisonPositions = new ArrayList<>();
        poisons.forEach(poison -> poisonPositions.add(kafka.publishRaw(key, poison.payload())));
        RecordMetadata last = kafka.publishRaw(key, codec.encode(after));

        try (TopicReader evictions = kafka.evictions(); TopicReader deadLetters = kafka.deadLetters()) {
            await().atMost(TIMEOUT).until(() -> evictions.broadcastEventIds()
                    .containsAll(List.of(before.eventId(), after.eventId())));
            List<ConsumerRecord<String, byte[]>> dead = await().atMost(TIMEOUT)
                    .until(deadLetters::poll, records -> records.size() >= poisons.size());
            dead = dead.stream().sorted(Comparator.comparingLong(r -> originalOffset(r))).toList();
            assertThat(dead).as("only the poison records, never a valid event").hasSize(poisons.size());
            for (int i = 0; i < poisons.size(); i++) {
                ConsumerRecord<String, byte[]> record = dead.get(i);
                Poison poison = poisons.get(i);
                assertThat(record.value()).as("original payload").isEqualTo(poison.payload());
                assertThat(record.key()).isEqualTo(key);
                assertThat(header(record, DeadLetterHeaders.REASON)).isEqualTo(poison.reason());
                assertThat(header(record, DeadLetterHeaders.FIELD)).isEqualTo(poison.field());
                assertThat(header(record, DeadLetterHeaders.MESSAGE)).startsWith(poison.reason());
                assertThat(header(record, KafkaHeaders.DLT_ORIGINAL_TOPIC)).isEqualTo(topics.mutations());
                assertThat(originalOffset(record)).isEqualTo(poisonPositions.get(i).offset());
            }
        }
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(kafka.committedOffsets())
                .containsEntry(last.partition(), last.offset() + 1));
        assertThat(invalidator.meters().get("cachebus.invalidator.dead.letters").counters())
                .extracting(c -> c.getId().getTag("reason") + "=" + (long) c.count())
                .containsExactlyInAnyOrder("MALFORMED_JSON=1", "UNSUPPORTED_SCHEMA_VERSION=1", "INVALID_VALUE=1",
                        "OVERSIZED=1");
    }

    @Test
    void aReplayedEventOnlyMovesTheGenerationAgainAndAnEventForATenantWithNoCachedKeysTouchesNoOtherKey() {
        String otherTenantsEntry = CacheKeys.key("t-bystander", "workflows", "h1");
        redis.opsForValue().set(otherTenantsEntry, "cached");
        DomainMutated original = mutation("t-replay", "workflows", 1);
        DomainMutated next = mutation("t-replay", "workflows", 2);
        DomainMutated nothingCached = mutation("t-never-cached", "notifications", 1);
        long deadLettersBefore = kafka.deadLetterCount();
        long firstGeneration;

        try (TopicReader evictions = kafka.evictions()) {
            kafka.publish(List.of(original));
            await().atMost(TIMEOUT).until(() -> evictions.broadcastEventIds().contains(original.eventId()));
            firstGeneration = evictions.broadcastsNaming(List.of(original.eventId())).get(0).generation();
            // The same record again, twice, in separate batches (a producer retry or a consumer rewind).
            kafka.publish(List.of(original));
            kafka.publish(List.of(original));
            kafka.publish(List.of(next, nothingCached));
            await().atMost(TIMEOUT).until(() -> evictions.broadcastEventIds()
                    .containsAll(List.of(next.eventId(), nothingCached.eventId())));
        }

        long generation = Long.parseLong(redis.opsForValue().get(CacheKeys.generationKeyOfDomain("t-replay", "workflows")));
        assertThat(generation).as("each delivery at most one INCR, and the next event one more")
                .isBetween(firstGeneration + 1, firstGeneration + 3);
        assertThat(redis.opsForValue().get(CacheKeys.generationKeyOfDomain("t-never-cached", "notifications")))
                .isNotNull();
        assertThat(redis.keys(CacheKeys.prefix("t-never-cached", "notifications") + "*")).isEmpty();
        assertThat(redis.opsForValue().get(otherTenantsEntry)).as("another tenant's entry").isEqualTo("cached");
        assertThat(kafka.deadLetterCount()).as("duplicates are not poison").isEqualTo(deadLettersBefore);
        await().atMost(TIMEOUT).untilAsserted(() ->
                assertThat(kafka.committedOffsets()).containsAllEntriesOf(kafka.nonEmptyEndOffsets()));
    }

    @Test
    void healthShowsTheBreakersAndPrometheusExposesInvalidationBatchBreakerAndLagMetrics() throws Exception {
        DomainMutated event = mutation("t-metrics", "notifications", 1);
        kafka.publish(List.of(event));
        try (TopicReader evictions = kafka.evictions()) {
            await().atMost(TIMEOUT).until(() -> evictions.broadcastEventIds().contains(event.eventId()));
        }

        HttpResponse<String> health = get("/actuator/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"", "circuitBreakers", "invalidator-redis",
                "invalidator-broadcast");

        String prometheus = get("/actuator/prometheus").body();
        assertThat(prometheus).containsPattern(
                "sba_cache_invalidations_total\\{[^}]*domain=\"notifications\"[^}]*tenant=\"t-metrics\"[^}]*} 1\\.0");
        assertThat(prometheus).containsPattern(
                "cachebus_invalidation_duration_seconds_count\\{[^}]*strategy=\"generation\"[^}]*} [1-9]");
        assertThat(prometheus).contains("cachebus_invalidator_batch_size_count", "cachebus_invalidator_coalescing_ratio_count",
                "cachebus_invalidator_broadcasts_total", "kafka_consumer_fetch_manager_records_lag_max",
                "cachebus_invalidator_mutation_age_seconds_bucket",
                "cachebus_invalidator_poll_to_broadcast_seconds_bucket");
        assertThat(prometheus).containsPattern(
                "resilience4j_circuitbreaker_state\\{[^}]*name=\"invalidator-redis\"[^}]*state=\"closed\"[^}]*} 1\\.0");
    }

    /**
     * The producer configuration the running invalidator's broadcasts go through, as Kafka reads it (shipped
     * {@code invalidator.yml}, code and Kafka's defaults together): broadcasts are on the propagation path and leave
     * at once, and nothing in the shipped configuration may trade that for batching.
     */
    @Test
    void theEffectiveProducerConfigurationSendsBroadcastsAtOnceAcknowledgedByAllReplicas() {
        DefaultKafkaProducerFactory<?, ?> producers = invalidator.context().getBean(DefaultKafkaProducerFactory.class);
        Map<String, ?> effective = new ProducerConfig(new HashMap<>(producers.getConfigurationProperties())).values();

        assertThat(((Number) effective.get(ProducerConfig.LINGER_MS_CONFIG)).longValue()).isZero();
        assertThat(effective.get(ProducerConfig.ACKS_CONFIG)).isEqualTo("-1");
        assertThat(effective.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG)).isEqualTo(true);
    }

    @Test
    void theStartedListenerCommitsWhatItFinishedWithoutWaitingForTheBroker() {
        ContainerProperties container = invalidator.context().getBean(ConsumerConfiguration.LISTENER_ID,
                ConcurrentMessageListenerContainer.class).getContainerProperties();

        assertThat(container.getAckMode()).isEqualTo(ContainerProperties.AckMode.MANUAL_IMMEDIATE);
        assertThat(container.isSyncCommits()).isFalse();
    }

    private static ConsumerRecord<String, byte[]> recordNaming(TopicReader evictions, UUID eventId) {
        EventCodec codec = new EventCodec();
        return evictions.poll().stream()
                .filter(r -> KafkaTestClient.broadcastsIn(codec.decodeEvictionsTopic(r.value())).stream()
                        .anyMatch(b -> b.eventIds().contains(eventId)))
                .findFirst().orElse(null);
    }

    private static HttpResponse<String> get(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + invalidator.httpPort() + path))
                .timeout(Duration.ofSeconds(10)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] replaced(String json, String target, String replacement) {
        assertThat(json).contains(target);
        return json.replace(target, replacement).getBytes(StandardCharsets.UTF_8);
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static long originalOffset(ConsumerRecord<?, ?> record) {
        return ByteBuffer.wrap(record.headers().lastHeader(KafkaHeaders.DLT_ORIGINAL_OFFSET).value()).getLong();
    }

    private record Poison(byte[] payload, String reason, String field) {
    }
}
