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
import io.cachebus.invalidator.testing.StrategyInterceptor;
import io.cachebus.local.junit.LocalKafkaExtension;
import io.cachebus.local.kafka.BusTopics;
import io.cachebus.local.kafka.KafkaBroker;
import io.cachebus.local.redis.RedisCluster;
import io.cachebus.local.redis.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * A running invalidator on a Redis Cluster of three primaries with one replica each, whose primaries fail. Nothing is
 * lost: offsets are committed only after Redis took an invalidation, so whatever failed during the failover is
 * redelivered and applied once the replica has taken over and Lettuce has learnt the new topology.
 */
@ExtendWith(LocalKafkaExtension.class)
class RedisClusterFailoverTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(30);
    private static final String BREAKER = "resilience4j.circuitbreaker.instances.invalidator-redis.";
    private static final int TENANTS = 12;

    @ParameterizedTest(name = "strategy {0}")
    @ValueSource(strings = {"generation", "scan"})
    void aPrimaryKilledWhileEventsFlowLosesNoInvalidation(String strategy, KafkaBroker broker) throws Exception {
        BusTopics topics = BusTopics.create(broker, "cluster-failover-" + strategy);
        List<String> tenants = IntStream.range(0, TENANTS).mapToObj(i -> "t-fo-" + strategy + "-" + i).toList();
        AtomicInteger failedAttempts = new AtomicInteger();
        try (RedisCluster cluster = RedisCluster.start(3, 1);
             RunningInvalidator invalidator = fastRecovering(RunningInvalidator.onCluster(broker, cluster, topics))
                     .property("cachebus.invalidator.strategy", strategy)
                     .initializer(context -> context.getBeanFactory().addBeanPostProcessor(countingFailures(failedAttempts)))
                     .start();
             KafkaTestClient kafka = new KafkaTestClient(broker, topics);
             TopicReader evictions = kafka.evictions()) {
            String victimKey = CacheKeys.generationKeyOfDomain(tenants.get(0), "workflows");
            RedisServer victim = cluster.primaryOf(victimKey);
            Set<String> onVictim = tenants.stream()
                    .filter(tenant -> cluster.primaryOf(CacheKeys.generationKeyOfDomain(tenant, "workflows")) == victim)
                    .collect(Collectors.toSet());
            EventStream stream = new EventStream(kafka, tenants);
            ExecutorService publisher = Executors.newSingleThreadExecutor();
            try {
                Future<?> publishing = publisher.submit(stream::publishUntilStopped);
                await().atMost(TIMEOUT).until(() -> evictions.broadcastEventIds().size() >= 3 * TENANTS);

                victim.kill();
                int publishedAtKill = stream.published().size();
                await().atMost(TIMEOUT).until(() -> stream.published().size() >= publishedAtKill + 3 * TENANTS);
                cluster.awaitHealthy(FAILOVER_TIMEOUT);
                await().atMost(TIMEOUT).until(() -> stream.published().size() >= publishedAtKill + 6 * TENANTS);
                stream.stop();
                publishing.get(30, TimeUnit.SECONDS);
            } finally {
                stream.stop();
                publisher.shutdownNow();
            }

            List<DomainMutated> published = stream.published();
            Set<UUID> all = published.stream().map(DomainMutated::eventId).collect(Collectors.toSet());
            await().atMost(TIMEOUT).until(() -> evictions.redisDoneEventIds().containsAll(all));
            assertThat(onVictim).as("some tenants lived on the killed primary").isNotEmpty();
            assertThat(cluster.primaryOf(victimKey)).as("its replica took over").isNotSameAs(victim);
            Map<String, Long> lastBroadcastGeneration = new HashMap<>();
            for (EvictionBroadcast broadcast : evictions.broadcasts()) {
                lastBroadcastGeneration.merge(broadcast.tenant(), broadcast.generation(), Math::max);
            }
            for (String tenant : tenants) {
                long generation = Long.parseLong(cluster.text("GET", CacheKeys.generationKeyOfDomain(tenant, "workflows")));
                assertThat(generation).as("generation of %s in Redis after the failover", tenant)
                        .isPositive().isGreaterThanOrEqualTo(lastBroadcastGeneration.get(tenant));
            }
            await().atMost(TIMEOUT).untilAsserted(() ->
                    assertThat(kafka.committedOffsets()).containsAllEntriesOf(kafka.nonEmptyEndOffsets()));
            assertThat(failedAttempts).as("the failover was felt: invalidation attempts failed meanwhile").hasPositiveValue();
        }
    }

    /**
     * With {@code redis-replication.min-acks=1} an INCR counts only once a replica has it. Here the replica cannot get
     * it (paused and cut off), so the event is only broadcast with its Redis work pending and nothing is committed;
     * the primary then dies and the replica, which never saw the INCR, takes over. The event is processed again and
     * applied on the new primary once it has a replica again (the old primary, restarted). With {@code min-acks=0} the INCR would have been broadcast and committed at
     * once and then lost in the failover: the generation in Redis would lag behind the broadcast one.
     */
    @Test
    void withReplicaAcksAnIncrementOnlyTheDeadPrimaryHadIsNotLost(KafkaBroker broker) {
        BusTopics topics = BusTopics.create(broker, "cluster-replica-acks");
        String tenant = "t-acks";
        String counter = CacheKeys.generationKeyOfDomain(tenant, "workflows");
        try (RedisCluster cluster = RedisCluster.start(3, 1);
             RunningInvalidator invalidator = fastRecovering(RunningInvalidator.onCluster(broker, cluster, topics))
                     .property("cachebus.invalidator.redis-replication.min-acks", 1)
                     .property("cachebus.invalidator.redis-replication.timeout", "200ms")
                     .start();
             KafkaTestClient kafka = new KafkaTestClient(broker, topics);
             TopicReader evictions = kafka.evictions()) {
            DomainMutated warmUp = mutation(tenant, "workflows", 1);
            kafka.publish(List.of(warmUp));
            await().atMost(TIMEOUT).until(() -> evictions.broadcastEventIds().contains(warmUp.eventId()));
            RedisServer primary = cluster.primaryOf(counter);
            RedisServer replica = cluster.replicaOf(primary);
            long beforeLost = Long.parseLong(primary.text("GET", counter));

            replica.pause();
            primary.text("CLIENT", "KILL", "TYPE", "replica");
            DomainMutated lost = mutation(tenant, "workflows", 2);
            RecordMetadata record = kafka.publish(List.of(lost)).get(0);
            await().atMost(TIMEOUT).until(() -> Long.parseLong(primary.text("GET", counter)) > beforeLost);
            // long enough for several attempts, each an INCR the replica never gets and a WAIT that times out
            long observeUntil = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (System.nanoTime() < observeUntil) {
                assertThat(evictions.redisDoneEventIds()).as("broadcast as done before a replica had it")
                        .doesNotContain(lost.eventId());
            }
            assertThat(kafka.committedOffsets().getOrDefault(record.partition(), 0L))
                    .as("committed past an event no replica had").isLessThanOrEqualTo(record.offset());
            primary.kill();
            replica.unpause();
            cluster.awaitHealthy(FAILOVER_TIMEOUT);
            assertThat(cluster.primaryOf(counter)).isSameAs(replica);
            assertThat(cluster.text("GET", counter)).as("the replica never saw the INCRs of the event")
                    .isEqualTo(String.valueOf(beforeLost));

            primary.restart();
            cluster.awaitHealthy(FAILOVER_TIMEOUT);
            await().atMost(TIMEOUT).until(() -> evictions.redisDoneEventIds().contains(lost.eventId()));
            long broadcastGeneration = evictions.broadcastsNaming(List.of(lost.eventId())).stream()
                    .filter(b -> !b.redisPending()).findFirst().orElseThrow().generation();
            assertThat(Long.parseLong(cluster.text("GET", counter))).isGreaterThanOrEqualTo(broadcastGeneration)
                    .isGreaterThan(beforeLost);
        }
    }

    /** Short timeouts and back-offs, so a failover of a few seconds is ridden through in a few seconds more. */
    private static RunningInvalidator.Builder fastRecovering(RunningInvalidator.Builder builder) {
        return builder
                .property(BREAKER + "wait-duration-in-open-state", "1s")
                .property("resilience4j.retry.instances.invalidator-redis.wait-duration", "50ms")
                .property("spring.data.redis.timeout", "1s")
                .property("spring.data.redis.lettuce.cluster.refresh.period", "2s")
                .property("cachebus.invalidator.redis-reconnect-max-delay", "300ms");
    }

    /** Wraps the strategy bean to count the attempts that failed (and were retried or redelivered). */
    private static BeanPostProcessor countingFailures(AtomicInteger failures) {
        StrategyInterceptor counting = (groups, strategy) -> {
            try {
                return strategy.invalidate(groups);
            } catch (RuntimeException e) {
                failures.incrementAndGet();
                throw e;
            }
        };
        return counting.asPostProcessor();
    }

    /** Events for every tenant, round after round, until stopped; remembers what Kafka acknowledged. */
    private static final class EventStream {

        private final KafkaTestClient kafka;
        private final List<String> tenants;
        private final AtomicBoolean stopped = new AtomicBoolean();
        private final List<DomainMutated> published = new ArrayList<>();

        EventStream(KafkaTestClient kafka, List<String> tenants) {
            this.kafka = kafka;
            this.tenants = tenants;
        }

        void publishUntilStopped() {
            for (long sequence = 1; !stopped.get(); sequence++) {
                long round = sequence;
                List<DomainMutated> events = tenants.stream().map(tenant -> mutation(tenant, "workflows", round)).toList();
                kafka.publish(events);
                synchronized (published) {
                    published.addAll(events);
                }
                sleep(50);
            }
        }

        List<DomainMutated> published() {
            synchronized (published) {
                return List.copyOf(published);
            }
        }

        void stop() {
            stopped.set(true);
        }

        private static void sleep(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
