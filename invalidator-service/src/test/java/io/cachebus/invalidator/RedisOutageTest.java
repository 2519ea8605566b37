package io.cachebus.invalidator;

import static io.cachebus.invalidator.testing.TestEvents.mutation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cachebus.events.CacheKeys;
import io.cachebus.events.DomainMutated;
import io.cachebus.events.EvictionBroadcast;
import io.cachebus.invalidator.broadcast.EvictionBroadcaster;
import io.cachebus.invalidator.testing.KafkaTestClient;
import io.cachebus.invalidator.testing.KafkaTestClient.Message;
import io.cachebus.invalidator.testing.KafkaTestClient.TopicReader;
import io.cachebus.invalidator.testing.ProgressView;
import io.cachebus.invalidator.testing.RunningInvalidator;
import io.cachebus.local.junit.LocalKafkaExtension;
import io.cachebus.local.junit.RedisServerExtension;
import io.cachebus.local.kafka.BusTopics;
import io.cachebus.local.kafka.KafkaBroker;
import io.cachebus.local.redis.RedisServer;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Redis dies while events keep coming: every event is still broadcast at once, flagged {@code redisPending}, and
 * progress advances, but no committed offset passes the unfinished Redis work. Once Redis is back, the pending
 * range is processed again: generations move, the same scopes are broadcast without the flag, and only then are
 * the offsets committed. An invalidator stopped meanwhile leaves the work to the next one.
 */
@ExtendWith({LocalKafkaExtension.class, RedisServerExtension.class})
class RedisOutageTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** Nodes' staleness bound is 1s; on this shared machine, allow for a slow first batch after the outage. */
    private static final Duration PROMPTLY = Duration.ofSeconds(10);
    private static final String BREAKER = "resilience4j.circuitbreaker.instances.invalidator-redis.";

    @Test
    void whileRedisIsDownMutationsAreBroadcastPendingWithoutCommitsAndAfterItsRestartTheRedisWorkIsRedoneFirst(
            KafkaBroker broker, RedisServer redisServer) {
        BusTopics topics = BusTopics.create(broker, "outage");
        try (RunningInvalidator invalidator = withFastBreaker(RunningInvalidator.on(broker, redisServer.port(), topics))
                     .start();
             KafkaTestClient kafka = new KafkaTestClient(broker, topics);
             TopicReader evictions = kafka.evictions()) {
            StringRedisTemplate redis = invalidator.context().getBean(StringRedisTemplate.class);
            CircuitBreaker breaker = invalidator.redisBreaker();

            List<DomainMutated> beforeOutage = events("t-before", 1, 5);
            kafka.publish(beforeOutage);
            await().atMost(TIMEOUT).until(() -> evictions.broadcastEventIds().containsAll(ids(beforeOutage)));
            await().atMost(TIMEOUT).untilAsserted(() ->
                    assertThat(kafka.committedOffsets()).containsAllEntriesOf(kafka.nonEmptyEndOffsets()));
            Map<Integer, Long> finishedWork = kafka.endOffsets();

            redisServer.kill();
            Map<UUID, RecordMetadata> pending = new HashMap<>(publish(kafka, events("t-pending", 1, 5)));
            await().atMost(PROMPTLY).until(() -> pendingBroadcastIds(evictions).containsAll(pending.keySet()));
            await().atMost(TIMEOUT).until(() -> breaker.getState() == CircuitBreaker.State.OPEN);

            pending.putAll(publish(kafka, events("t-pending", 6, 10)));
            await("broadcast while the breaker is open").atMost(PROMPTLY)
                    .until(() -> pendingBroadcastIds(evictions).containsAll(pending.keySet()));
            Map<Integer, Long> published = kafka.endOffsets();
            await("progress advances").atMost(PROMPTLY)
                    .until(() -> ProgressView.covers(evictions.messages(), published));
            assertThat(evictions.broadcastsNaming(pending.keySet())).allSatisfy(b -> {
                assertThat(b.redisPending()).as("nothing was invalidated in Redis yet").isTrue();
                assertThat(b.generation()).isZero();
            });
            assertThat(invalidator.container().isPauseRequested()).as("a Redis outage does not pause").isFalse();

            // Longer than one open -> half-open -> open cycle of the breaker.
            long observeUntil = System.nanoTime() + Duration.ofSeconds(4).toNanos();
            while (System.nanoTime() < observeUntil) {
                kafka.committedOffsets().forEach((partition, committed) -> assertThat(committed)
                        .as("committed offset of partition %s during the outage", partition)
                        .isLessThanOrEqualTo(finishedWork.get(partition)));
                sleep(250);
            }

            redisServer.restart();

            // The first commit past the outage's records, and how far the evictions topic was written at that moment.
            Map<Integer, Long> evictionsWhenCommitted = null;
            Set<Integer> committedPast = Set.of();
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (committedPast.isEmpty()) {
                assertThat(System.nanoTime()).as("a commit past the outage's records").isLessThan(deadline);
                Map<Integer, Long> committed = kafka.committedOffsets();
                evictionsWhenCommitted = kafka.evictionsEndOffsets();
                committedPast = committed.entrySet().stream()
                        .filter(e -> e.getValue() > finishedWork.getOrDefault(e.getKey(), 0L))
                        .map(Map.Entry::getKey).collect(Collectors.toSet());
                sleep(50);
            }
            await().atMost(TIMEOUT).until(() -> redoneBroadcasts(evictions).keySet().containsAll(pending.keySet()));
            Map<UUID, Message> redone = redoneBroadcasts(evictions);
            for (Map.Entry<UUID, RecordMetadata> event : pending.entrySet()) {
                if (committedPast.contains(event.getValue().partition())) {
                    Message broadcast = redone.get(event.getKey());
                    assertThat(broadcast.offset()).as("broadcast without the flag, written before the commit")
                            .isLessThan(evictionsWhenCommitted.get(broadcast.partition()));
                }
            }
            for (int i = 0; i < 5; i++) {
                String tenant = "t-pending-" + i;
                long generation = Long.parseLong(redis.opsForValue().get(CacheKeys.generationKeyOfDomain(tenant, "workflows")));
                long broadcastGeneration = evictions.broadcasts().stream()
                        .filter(b -> b.tenant().equals(tenant) && !b.redisPending())
                        .mapToLong(EvictionBroadcast::generation).max().orElseThrow();
                assertThat(generation).as("generation of %s in the restarted Redis", tenant)
                        .isGreaterThanOrEqualTo(1).isEqualTo(broadcastGeneration);
            }
            await().atMost(TIMEOUT).untilAsserted(() -> {
                assertThat(kafka.committedOffsets()).containsAllEntriesOf(kafka.nonEmptyEndOffsets());
                // the redo is one Redis round trip per batch: fewer than the 3 trial calls half-open needs may come
                // before more work does, so the breaker lets calls through (half-open) or is closed, never open
                assertThat(breaker.getState()).isIn(CircuitBreaker.State.CLOSED, CircuitBreaker.State.HALF_OPEN);
                assertThat(invalidator.meters().get("cachebus.invalidator.redis.pending.partitions").gauge().value())
                        .isZero();
            });
            assertThat(kafka.deadLetterCount()).as("an outage never dead-letters a valid event").isZero();
            await("heartbeats stop saying Redis work is pending").atMost(TIMEOUT).until(() -> {
                List<Message> messages = evictions.messages();
                return messages.get(messages.size() - 1).progress().map(p -> !p.redisPending()).orElse(false);
            });
            assertHeartbeatsSayRedisPendingFromTheFirstPendingBroadcastToTheLastRedoneOne(evictions.messages(),
                    pending.keySet());
        }
    }

    /**
     * A node that lost track of the flagged broadcasts relies on the heartbeats: on each evictions partition, every
     * heartbeat after a broadcast with pending Redis work and before the last broadcast that redid it says so.
     */
    private static void assertHeartbeatsSayRedisPendingFromTheFirstPendingBroadcastToTheLastRedoneOne(
            List<Message> messages, Set<UUID> pendingEvents) {
        Map<Integer, Long> firstPending = new HashMap<>();
        Map<Integer, Long> lastRedone = new HashMap<>();
        for (Message message : messages) {
            message.broadcasts().stream().filter(b -> b.eventIds().stream().anyMatch(pendingEvents::contains)).forEach(b -> {
                if (b.redisPending()) {
                    firstPending.merge(message.partition(), message.offset(), Math::min);
                } else {
                    lastRedone.merge(message.partition(), message.offset(), Math::max);
                }
            });
        }
        assertThat(firstPending).isNotEmpty();
        int checked = 0;
        for (Message message : messages) {
            long from = firstPending.getOrDefault(message.partition(), Long.MAX_VALUE);
            long until = lastRedone.getOrDefault(message.partition(), Long.MIN_VALUE);
            if (message.progress().isPresent() && message.offset() > from && message.offset() < until) {
                assertThat(message.progress().get().redisPending())
                        .as("heartbeat at %s-%s", message.partition(), message.offset()).isTrue();
                checked++;
            }
        }
        assertThat(checked).as("heartbeats during the outage").isPositive();
    }

    @Test
    void anInvalidatorStoppedWhileRedisWorkIsPendingLeavesItToTheNextOne(KafkaBroker broker, RedisServer redisServer) {
        BusTopics topics = BusTopics.create(broker, "outage-handover");
        try (KafkaTestClient kafka = new KafkaTestClient(broker, topics);
             TopicReader evictions = kafka.evictions()) {
            Map<UUID, RecordMetadata> pending;
            try (RunningInvalidator first = withFastBreaker(RunningInvalidator.on(broker, redisServer.port(), topics))
                    .property("cachebus.invalidator.invalidator-id", "first").start()) {
                await().atMost(TIMEOUT).until(() -> first.container().getAssignedPartitions().size()
                        == KafkaBroker.MUTATION_PARTITIONS);
                redisServer.kill();
                pending = publish(kafka, events("t-handover", 1, 3));
                await().atMost(PROMPTLY).until(() -> pendingBroadcastIds(evictions).containsAll(pending.keySet()));
            }
            assertThat(kafka.committedOffsets().values()).as("nothing committed past the pending work")
                    .allSatisfy(offset -> assertThat(offset).isZero());

            redisServer.restart();
            try (RunningInvalidator second = withFastBreaker(RunningInvalidator.on(broker, redisServer.port(), topics))
                    .property("cachebus.invalidator.invalidator-id", "second").start()) {
                await().atMost(TIMEOUT).until(() -> redoneBroadcasts(evictions).keySet().containsAll(pending.keySet()));
                assertThat(redoneBroadcasts(evictions).values()).allSatisfy(message ->
                        assertThat(message.broadcasts().get(0).invalidatorId()).isEqualTo("second"));
                await().atMost(TIMEOUT).untilAsserted(() ->
                        assertThat(kafka.committedOffsets()).containsAllEntriesOf(kafka.nonEmptyEndOffsets()));
                StringRedisTemplate redis = second.context().getBean(StringRedisTemplate.class);
                long redoneGeneration = redoneBroadcasts(evictions).values().stream()
                        .flatMap(message -> message.broadcasts().stream())
                        .filter(b -> b.tenant().equals("t-handover-0"))
                        .mapToLong(EvictionBroadcast::generation).max().orElseThrow();
                assertThat(Long.parseLong(redis.opsForValue().get(CacheKeys.generationKeyOfDomain("t-handover-0",
                        "workflows")))).as("the generation the redo moved and broadcast").isPositive()
                        .isEqualTo(redoneGeneration);
            }
        }
    }

    @Test
    void onlyTheBroadcastBreakerPausesTheConsumer(KafkaBroker broker, RedisServer redisServer) {
        BusTopics topics = BusTopics.create(broker, "outage-pause");
        try (RunningInvalidator invalidator = RunningInvalidator.on(broker, redisServer.port(), topics).start()) {
            CircuitBreaker broadcastBreaker = invalidator.context().getBean(CircuitBreakerRegistry.class)
                    .circuitBreaker(EvictionBroadcaster.RESILIENCE_INSTANCE);

            invalidator.redisBreaker().transitionToForcedOpenState();
            assertThat(invalidator.container().isPauseRequested()).as("Redis open: still broadcasting").isFalse();

            broadcastBreaker.transitionToForcedOpenState();
            assertThat(invalidator.container().isPauseRequested()).as("broadcast open").isTrue();
            assertThat(invalidator.pauseController().isHoldingPause()).isTrue();

            broadcastBreaker.transitionToClosedState();
            assertThat(invalidator.container().isPauseRequested()).as("broadcast closed again").isFalse();
            invalidator.redisBreaker().transitionToClosedState();
        }
    }

    private static RunningInvalidator.Builder withFastBreaker(RunningInvalidator.Builder builder) {
        return builder
                .property(BREAKER + "minimum-number-of-calls", 2)
                .property(BREAKER + "sliding-window-size", 4)
                .property(BREAKER + "wait-duration-in-open-state", "2s")
                .property("resilience4j.retry.instances.invalidator-redis.wait-duration", "50ms")
                .property("spring.data.redis.timeout", "1s")
                .property("cachebus.invalidator.redis-reconnect-max-delay", "300ms");
    }

    /** For tenants {@code prefix-0..4} of {@code workflows}, the events with sequences {@code from..to}. */
    private static List<DomainMutated> events(String tenantPrefix, int from, int to) {
        return IntStream.range(0, 5).boxed().flatMap(i -> IntStream.rangeClosed(from, to)
                .mapToObj(seq -> mutation(tenantPrefix + "-" + i, "workflows", seq))).toList();
    }

    private static Map<UUID, RecordMetadata> publish(KafkaTestClient kafka, List<DomainMutated> events) {
        List<RecordMetadata> positions = kafka.publish(events);
        Map<UUID, RecordMetadata> published = new HashMap<>();
        IntStream.range(0, events.size()).forEach(i -> published.put(events.get(i).eventId(), positions.get(i)));
        return published;
    }

    private static Set<UUID> ids(List<DomainMutated> events) {
        return events.stream().map(DomainMutated::eventId).collect(Collectors.toSet());
    }

    private static Set<UUID> pendingBroadcastIds(TopicReader evictions) {
        return evictions.broadcasts().stream().filter(EvictionBroadcast::redisPending)
                .flatMap(b -> b.eventIds().stream()).collect(Collectors.toSet());
    }

    /** Per event, the first broadcast naming it without the pending flag. */
    private static Map<UUID, Message> redoneBroadcasts(TopicReader evictions) {
        Map<UUID, Message> redone = new HashMap<>();
        List<Message> messages = new ArrayList<>(evictions.messages());
        for (Message message : messages) {
            message.broadcasts().stream().filter(b -> !b.redisPending())
                    .forEach(b -> b.eventIds().forEach(id -> redone.putIfAbsent(id, message)));
        }
        return redone;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
