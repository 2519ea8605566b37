package io.cachebus.invalidator;

import static io.cachebus.invalidator.testing.TestEvents.mutation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cachebus.events.CacheKeys;
import io.cachebus.events.DomainMutated;
import io.cachebus.events.EvictionBroadcast;
import io.cachebus.invalidator.coalescing.InvalidationGroup;
import io.cachebus.invalidator.invalidation.InvalidationResult;
import io.cachebus.invalidator.invalidation.PrefixInvalidationStrategy;
import io.cachebus.invalidator.testing.KafkaTestClient;
import io.cachebus.invalidator.testing.KafkaTestClient.TopicReader;
import io.cachebus.invalidator.testing.RunningInvalidator;
import io.cachebus.local.junit.LocalKafkaExtension;
import io.cachebus.local.junit.RedisServerExtension;
import io.cachebus.local.kafka.BusTopics;
import io.cachebus.local.kafka.KafkaBroker;
import io.cachebus.local.redis.RedisServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Two invalidator instances share the group; one dies in the middle of a batch (after its Redis INCR, before
 * any commit). The other takes over its partitions and finishes every event.
 */
@ExtendWith({LocalKafkaExtension.class, RedisServerExtension.class})
class InvalidatorFailoverTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void whenAnInstanceDiesMidBatchTheOtherInstanceOfTheGroupFinishesAllItsEvents(KafkaBroker broker, RedisServer redis)
            throws Exception {
        BusTopics topics = BusTopics.create(broker, "failover");
        CrashSwitch crash = new CrashSwitch();
        RunningInvalidator doomed = RunningInvalidator.on(broker, redis.port(), topics)
                .property("cachebus.invalidator.concurrency", 1)
                .property("cachebus.invalidator.invalidator-id", "doomed")
                .initializer(context -> context.getBeanFactory().addBeanPostProcessor(crash.crashingStrategies()))
                .start();
        try (RunningInvalidator survivor = RunningInvalidator.on(broker, redis.port(), topics)
                     .property("cachebus.invalidator.concurrency", 1)
                     .property("cachebus.invalidator.invalidator-id", "survivor")
                     .start();
             KafkaTestClient kafka = new KafkaTestClient(broker, topics);
             TopicReader evictions = kafka.evictions()) {
            await().atMost(TIMEOUT).until(() -> doomed.container().getAssignedPartitions().size() == 3
                    && survivor.container().getAssignedPartitions().size() == 3);
            Set<Integer> doomedPartitions = doomed.container().getAssignedPartitions().stream()
                    .map(TopicPartition::partition).collect(Collectors.toSet());
            List<DomainMutated> events = eventsCovering(doomedPartitions);
            Set<UUID> onDoomedPartitions = events.stream()
                    .filter(e -> doomedPartitions.contains(partitionOf(e)))
                    .map(DomainMutated::eventId).collect(Collectors.toSet());

            kafka.publish(events);
            assertThat(crash.entered.await(30, TimeUnit.SECONDS)).as("doomed instance started a batch").isTrue();
            crash.killed.countDown();
            doomed.close();

            Set<UUID> all = events.stream().map(DomainMutated::eventId).collect(Collectors.toSet());
            await().atMost(TIMEOUT).until(() -> evictions.redisDoneEventIds().containsAll(all));
            // The doomed instance's failing strategy looks like a Redis failure: it may have broadcast its batch
            // with the Redis work pending, but only the survivor can have done that work.
            List<EvictionBroadcast> takenOver = evictions.broadcastsNaming(onDoomedPartitions).stream()
                    .filter(b -> !b.redisPending()).toList();
            assertThat(takenOver).isNotEmpty()
                    .allSatisfy(b -> assertThat(b.invalidatorId()).isEqualTo("survivor"));
            assertThat(takenOver.stream().flatMap(b -> b.eventIds().stream())).containsAll(onDoomedPartitions);
            await().atMost(TIMEOUT).untilAsserted(() ->
                    assertThat(kafka.committedOffsets()).containsAllEntriesOf(kafka.nonEmptyEndOffsets()));
        } finally {
            crash.killed.countDown();
            doomed.close();
        }
    }

    /** Three events each for enough tenants that both instances' partitions get some. */
    private static List<DomainMutated> eventsCovering(Set<Integer> doomedPartitions) {
        List<DomainMutated> events = new ArrayList<>();
        Set<Integer> covered = new HashSet<>();
        int onDoomed = 0;
        int onSurvivor = 0;
        for (int i = 0; onDoomed < 3 || onSurvivor < 3; i++) {
            String tenant = "t-failover-" + i;
            int partition = partitionOf(tenant);
            covered.add(partition);
            if (doomedPartitions.contains(partition)) {
                onDoomed++;
            } else {
                onSurvivor++;
            }
            IntStream.rangeClosed(1, 3).forEach(seq -> events.add(mutation(tenant, "workflows", seq)));
        }
        return events;
    }

    private static int partitionOf(DomainMutated event) {
        return partitionOf(event.tenant());
    }

    /** Where Kafka's default partitioner puts the record key {@code tenant:workflows}. */
    private static int partitionOf(String tenant) {
        byte[] key = CacheKeys.recordKey(tenant, "workflows").getBytes(StandardCharsets.UTF_8);
        return Utils.toPositive(Utils.murmur2(key)) % KafkaBroker.MUTATION_PARTITIONS;
    }

    /**
     * Makes an instance die in the middle of its first batch: the strategy does its Redis work, then blocks until
     * the test kills the instance, then fails, as every later call does. Nothing is broadcast or committed.
     */
    private static final class CrashSwitch {

        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch killed = new CountDownLatch(1);

        BeanPostProcessor crashingStrategies() {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String beanName) {
                    return bean instanceof PrefixInvalidationStrategy strategy ? new Crashing(strategy) : bean;
                }
            };
        }

        private final class Crashing implements PrefixInvalidationStrategy {

            private final PrefixInvalidationStrategy delegate;

            Crashing(PrefixInvalidationStrategy delegate) {
                this.delegate = delegate;
            }

            @Override
            public String name() {
                return delegate.name();
            }

            @Override
            public int groupsPerCall() {
                return delegate.groupsPerCall();
            }

            @Override
            public List<InvalidationResult> invalidate(List<InvalidationGroup> groups) {
                if (killed.getCount() == 0) {
                    throw new IllegalStateException("instance is dead");
                }
                delegate.invalidate(groups);
                entered.countDown();
                try {
                    killed.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("instance died mid-batch");
            }
        }
    }
}
