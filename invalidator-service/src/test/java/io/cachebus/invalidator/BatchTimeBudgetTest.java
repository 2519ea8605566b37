package io.cachebus.invalidator;

import static io.cachebus.invalidator.testing.TestEvents.mutation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cachebus.events.DomainMutated;
import io.cachebus.invalidator.testing.KafkaTestClient;
import io.cachebus.invalidator.testing.KafkaTestClient.TopicReader;
import io.cachebus.invalidator.testing.RunningInvalidator;
import io.cachebus.invalidator.testing.StrategyInterceptor;
import io.cachebus.local.junit.LocalKafkaExtension;
import io.cachebus.local.junit.RedisServerExtension;
import io.cachebus.local.kafka.BusTopics;
import io.cachebus.local.kafka.KafkaBroker;
import io.cachebus.local.redis.RedisServer;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;

/**
 * A batch whose work outlasts {@code max.poll.interval.ms} (here: a strategy that takes 30 ms per group, 300
 * groups in Redis round trips of 10, against a 4 s poll interval) is worked through within the time budget: the member
 * polls in time, stays in the group, and commits what it finished batch after batch until everything is done.
 */
@ExtendWith({LocalKafkaExtension.class, RedisServerExtension.class})
class BatchTimeBudgetTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final long MAX_POLL_INTERVAL_MS = 4000;
    private static final Duration SLOWNESS = Duration.ofMillis(30);

    @Test
    void aBatchSlowerThanThePollIntervalIsDoneInPartsWithoutTheMemberBeingEvicted(KafkaBroker broker,
                                                                                 RedisServer redis) {
        BusTopics topics = BusTopics.create(broker, "budget");
        try (RunningInvalidator invalidator = RunningInvalidator.on(broker, redis.port(), topics)
                     .property("cachebus.invalidator.concurrency", 1)
                     .property("cachebus.invalidator.batch-time-budget", "500ms")
                     .property("cachebus.invalidator.redis-batch-groups", 10)
                     .property("spring.kafka.consumer.properties.max.poll.interval.ms", MAX_POLL_INTERVAL_MS)
                     .initializer(context -> context.getBeanFactory().addBeanPostProcessor(slowStrategies()))
                     .start();
             KafkaTestClient kafka = new KafkaTestClient(broker, topics);
             TopicReader evictions = kafka.evictions()) {
            await().atMost(TIMEOUT).until(() -> invalidator.container().getAssignedPartitions().size()
                    == KafkaBroker.MUTATION_PARTITIONS);
            double rebalancesBefore = consumerMetric(invalidator.container(), "rebalance-total");
            List<DomainMutated> events = IntStream.range(0, 300)
                    .mapToObj(i -> mutation("t-budget-" + i, "workflows", 1)).toList();
            Set<UUID> ids = events.stream().map(DomainMutated::eventId).collect(Collectors.toSet());

            kafka.publish(events);

            Set<Long> committedSteps = new HashSet<>();
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> {
                committedSteps.add(kafka.committedOffsets().values().stream().mapToLong(Long::longValue).sum());
                return evictions.broadcastEventIds().containsAll(ids)
                        && kafka.committedOffsets().equals(kafka.nonEmptyEndOffsets());
            });
            assertThat(committedSteps).as("commits of finished parts along the way").hasSizeGreaterThan(3);
            assertThat(consumerMetric(invalidator.container(), "time-between-poll-max"))
                    .as("longest time between two polls, ms").isLessThan(MAX_POLL_INTERVAL_MS);
            assertThat(consumerMetric(invalidator.container(), "rebalance-total"))
                    .as("no rebalance: the member was never evicted").isEqualTo(rebalancesBefore);
        }
    }

    private static double consumerMetric(ConcurrentMessageListenerContainer<?, ?> container, String name) {
        return container.metrics().values().stream()
                .flatMap(metrics -> metrics.entrySet().stream())
                .filter(metric -> metric.getKey().name().equals(name))
                .map(Map.Entry::getValue)
                .mapToDouble(metric -> ((Number) metric.metricValue()).doubleValue())
                .max().orElseThrow(() -> new AssertionError("no consumer metric " + name));
    }

    /** Every group's invalidation takes {@link #SLOWNESS} longer, as with a slow Redis or a big keyspace to scan. */
    private static BeanPostProcessor slowStrategies() {
        StrategyInterceptor slow = (groups, strategy) -> {
            try {
                Thread.sleep(SLOWNESS.toMillis() * groups.size());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return strategy.invalidate(groups);
        };
        return slow.asPostProcessor();
    }
}
