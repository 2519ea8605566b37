package io.cachebus.invalidator;

import static io.cachebus.invalidator.testing.TestEvents.mutation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cachebus.events.CacheKeys;
import io.cachebus.events.DomainMutated;
import io.cachebus.events.EvictionBroadcast;
import io.cachebus.invalidator.testing.KafkaTestClient;
import io.cachebus.invalidator.testing.KafkaTestClient.TopicReader;
import io.cachebus.invalidator.testing.RunningInvalidator;
import io.cachebus.invalidator.testing.TestTopics;
import io.cachebus.local.junit.LocalKafkaExtension;
import io.cachebus.local.junit.RedisServerExtension;
import io.cachebus.local.kafka.KafkaBroker;
import io.cachebus.local.redis.RedisServer;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Redis dies while events keep coming: the breaker opens, the consumer pauses, no offset passes the unfinished
 * work and nothing is broadcast before Redis took it; once Redis is back every pending invalidation is applied.
 */
@ExtendWith({LocalKafkaExtension.class, RedisServerExtension.class})
class RedisOutageTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String BREAKER = "resilience4j.circuitbreaker.instances.invalidator-redis.";

    @Test
    void redisKilledMidStreamPausesConsumptionWithoutCommittingAndAllPendingWorkIsDoneAfterItsRestart(
            KafkaBroker broker, RedisServer redisServer) {
        TestTopics topics = TestTopics.create(broker, "outage");
        try (RunningInvalidator invalidator = RunningInvalidator.on(broker, redisServer.port(), topics)
                     .property(BREAKER + "minimum-number-of-calls", 2)
                     .property(BREAKER + "sliding-window-size", 4)
                     .property(BREAKER + "wait-duration-in-open-state", "2s")
                     .property("resilience4j.retry.instances.invalidator-redis.wait-duration", "50ms")
                     .property("spring.data.redis.timeout", "1s")
                     .property("cachebus.invalidator.redis-reconnect-max-delay", "300ms")
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
            List<DomainMutated> pending = new ArrayList<>(events("t-pending", 1, 5));
            kafka.publish(pending);

            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(20)).until(() ->
                    breaker.getState() == CircuitBreaker.State.OPEN && invalidator.container().isContainerPaused());

            List<DomainMutated> arrivingWhilePaused = events("t-pending", 6, 10);
            kafka.publish(arrivingWhilePaused);
            pending.addAll(arrivingWhilePaused);
            assertThat(sum(kafka.endOffsets())).as("producers are not held up")
                    .isEqualTo(sum(finishedWork) + pending.size());

            // Longer than one open -> half-open -> open cycle of the breaker.
            long observeUntil = System.nanoTime() + Duration.ofSeconds(4).toNanos();
            while (System.nanoTime() < observeUntil) {
                kafka.committedOffsets().forEach((partition, committed) -> assertThat(committed)
                        .as("committed offset of partition %s during the outage", partition)
                        .isLessThanOrEqualTo(finishedWork.get(partition)));
                assertThat(evictions.broadcastsNaming(ids(pending))).as("no broadcast before Redis took it").isEmpty();
                sleep(250);
            }

            redisServer.restart();

            await().atMost(TIMEOUT).until(() -> evictions.broadcastEventIds().containsAll(ids(pending)));
            for (int i = 0; i < 5; i++) {
                String tenant = "t-pending-" + i;
                long generation = Long.parseLong(redis.opsForValue().get(CacheKeys.generationKeyOfDomain(tenant, "workflows")));
                long broadcastGeneration = evictions.broadcasts().stream().filter(b -> b.tenant().equals(tenant))
                        .mapToLong(EvictionBroadcast::generation).max().orElseThrow();
                assertThat(generation).as("generation of %s in the restarted Redis", tenant)
                        .isGreaterThanOrEqualTo(1).isEqualTo(broadcastGeneration);
            }
            await().atMost(TIMEOUT).untilAsserted(() -> {
                assertThat(kafka.committedOffsets()).containsAllEntriesOf(kafka.nonEmptyEndOffsets());
                assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
                assertThat(invalidator.pauseController().isHoldingPause()).isFalse();
                assertThat(invalidator.container().isPauseRequested()).isFalse();
            });
            assertThat(kafka.deadLetterCount()).as("an outage never dead-letters a valid event").isZero();
        }
    }

    /** For tenants {@code prefix-0..4} of {@code workflows}, the events with sequences {@code from..to}. */
    private static List<DomainMutated> events(String tenantPrefix, int from, int to) {
        return IntStream.range(0, 5).boxed().flatMap(i -> IntStream.rangeClosed(from, to)
                .mapToObj(seq -> mutation(tenantPrefix + "-" + i, "workflows", seq))).toList();
    }

    private static Set<UUID> ids(List<DomainMutated> events) {
        return events.stream().map(DomainMutated::eventId).collect(Collectors.toSet());
    }

    private static long sum(Map<Integer, Long> offsets) {
        return offsets.values().stream().mapToLong(Long::longValue).sum();
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
