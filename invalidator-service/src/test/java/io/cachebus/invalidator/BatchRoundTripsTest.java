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
import io.cachebus.local.junit.LocalKafkaExtension;
import io.cachebus.local.junit.RedisServerExtension;
import io.cachebus.local.kafka.BusTopics;
import io.cachebus.local.kafka.KafkaBroker;
import io.cachebus.local.redis.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The two fast paths of a poll batch (ADR 0014), on a backlog of 300 groups (one event per tenant) that one consumer
 * takes in a few polls: every group's generations are bumped in one Redis script call per batch, not one per group,
 * and the batch goes out as one record per evictions partition, not one per group. Each group still gets its own
 * generation, each event its broadcast, and the offsets are committed.
 */
@ExtendWith({LocalKafkaExtension.class, RedisServerExtension.class})
class BatchRoundTripsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int GROUPS = 300;
    /** A handful of polls take the backlog; each costs one script call and one record per evictions partition. */
    private static final int MOST_POLLS = 10;

    @Test
    void aBatchOfGroupsCostsOneRedisScriptCallAndOneRecordPerEvictionsPartition(KafkaBroker broker,
                                                                                 RedisServer redisServer) {
        BusTopics topics = BusTopics.create(broker, "round-trips");
        try (KafkaTestClient kafka = new KafkaTestClient(broker, topics);
             TopicReader evictions = kafka.evictions()) {
            String run = UUID.randomUUID().toString().substring(0, 6);
            List<DomainMutated> backlog = IntStream.range(0, GROUPS)
                    .mapToObj(i -> mutation("t-rt-" + run + "-" + i, "workflows", 1)).toList();
            Set<UUID> ids = backlog.stream().map(DomainMutated::eventId).collect(Collectors.toSet());
            kafka.publish(backlog);

            try (RunningInvalidator invalidator = RunningInvalidator.on(broker, redisServer.port(), topics)
                    .property("cachebus.invalidator.concurrency", 1).start()) {
                StringRedisTemplate redis = invalidator.context().getBean(StringRedisTemplate.class);
                long scriptCallsBefore = scriptCalls(redis);

                await().atMost(TIMEOUT).until(() -> evictions.redisDoneEventIds().containsAll(ids)
                        && kafka.committedOffsets().equals(kafka.nonEmptyEndOffsets()));

                assertThat(scriptCalls(redis) - scriptCallsBefore).as("bump script calls for %d groups", GROUPS)
                        .isBetween(1L, (long) MOST_POLLS);
                assertThat(evictions.messages().stream().filter(message -> !message.broadcasts().isEmpty()).count())
                        .as("records carrying evictions for %d groups", GROUPS)
                        .isBetween(1L, (long) MOST_POLLS * KafkaBroker.EVICTION_PARTITIONS);
                Map<String, Long> generations = evictions.broadcasts().stream()
                        .collect(Collectors.toMap(EvictionBroadcast::tenant, EvictionBroadcast::generation, Math::max));
                assertThat(generations).hasSize(GROUPS).allSatisfy((tenant, generation) ->
                        assertThat(redis.opsForValue().get(CacheKeys.generationKeyOfDomain(tenant, "workflows")))
                                .as("the generation broadcast for %s is Redis's", tenant)
                                .isEqualTo(String.valueOf(generation)));
            }
        }
    }

    /** How many scripts this Redis has run (EVALSHA and EVAL), from its own command statistics. */
    private static long scriptCalls(StringRedisTemplate redis) {
        Properties stats = redis.execute((RedisCallback<Properties>) connection ->
                connection.serverCommands().info("commandstats"));
        return calls(stats, "cmdstat_evalsha") + calls(stats, "cmdstat_eval");
    }

    private static long calls(Properties stats, String command) {
        String line = stats.getProperty(command);
        if (line == null) {
            return 0;
        }
        // calls=12,usec=...,usec_per_call=...
        String calls = line.substring(line.indexOf("calls=") + "calls=".length());
        return Long.parseLong(calls.substring(0, calls.indexOf(',')));
    }
}
