package io.cachebus.invalidator;

import static io.cachebus.invalidator.testing.TestEvents.mutation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cachebus.events.CacheKeys;
import io.cachebus.events.DomainMutated;
import io.cachebus.events.InvalidationProgress;
import io.cachebus.events.InvalidationProgress.PartitionProgress;
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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Progress heartbeats on the evictions topic, read the way an API node reads them: on every evictions partition,
 * never ahead of the broadcasts they cover, advancing while idle, past dead-lettered poison, and only for the
 * partitions an invalidator still holds.
 */
@ExtendWith({LocalKafkaExtension.class, RedisServerExtension.class})
class ProgressHeartbeatTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void heartbeatsReachEveryEvictionsPartitionCoverEveryMutationPartitionAndNeverRunAheadOfTheirBroadcasts(
            KafkaBroker broker, RedisServer redis) {
        BusTopics topics = BusTopics.create(broker, "progress");
        try (RunningInvalidator invalidator = RunningInvalidator.on(broker, redis.port(), topics).start();
             KafkaTestClient kafka = new KafkaTestClient(broker, topics);
             TopicReader evictions = kafka.evictions()) {
            Map<Integer, Long> empty = IntStream.range(0, KafkaBroker.MUTATION_PARTITIONS).boxed()
                    .collect(Collectors.toMap(p -> p, p -> 0L));
            await("an idle invalidator reports every partition at its start position")
                    .atMost(TIMEOUT).until(() -> ProgressView.covers(evictions.messages(), empty));

            Map<UUID, RecordMetadata> published = new HashMap<>();
            for (int round = 0; round < 5; round++) {
                List<DomainMutated> events = IntStream.range(0, 40)
                        .mapToObj(i -> mutation("t-progress-" + i, "workflows", 1)).toList();
                List<RecordMetadata> positions = kafka.publish(events);
                IntStream.range(0, events.size()).forEach(i -> published.put(events.get(i).eventId(), positions.get(i)));
            }
            Map<Integer, Long> end = kafka.endOffsets();
            await().atMost(TIMEOUT).until(() -> ProgressView.covers(evictions.messages(), end));
            await().atMost(TIMEOUT).until(() -> evictions.broadcastEventIds().containsAll(published.keySet()));

            assertNoHeartbeatAheadOfItsBroadcasts(evictions.messages(), published);
            await("later reports vouch for the acknowledged ones (ADR 0016)").atMost(TIMEOUT)
                    .until(() -> ProgressView.vouchesFor(evictions.messages(), end));
            assertThat(ProgressView.vouchedReportsAllEarlierInTheirPartition(evictions.messages())).isPositive();
            double heartbeats = invalidator.meters().counter("cachebus.invalidator.progress.heartbeats",
                    "outcome", "acknowledged").count();
            assertThat(heartbeats).isGreaterThanOrEqualTo(KafkaBroker.EVICTION_PARTITIONS);

            Instant idleSince = Instant.now();
            await("heartbeats keep coming while nothing is published").atMost(TIMEOUT).until(() ->
                    evictions.messages().stream().flatMap(m -> m.progress().stream())
                            .filter(p -> p.emittedAt().isAfter(idleSince.plusMillis(500)))
                            .map(p -> p.partitions().size()).mapToInt(Integer::intValue).sum()
                            >= KafkaBroker.MUTATION_PARTITIONS);
        }
    }

    /**
     * An idle consumer repeats a report identical to its last acknowledged one only every {@code unchanged-interval}
     * (every node reads each one on every evictions partition), and still reports at once what changed.
     */
    @Test
    void anIdleInvalidatorRepeatsAnUnchangedReportOnlyEveryUnchangedInterval(KafkaBroker broker, RedisServer redis) {
        Duration unchangedInterval = Duration.ofSeconds(1);
        BusTopics topics = BusTopics.create(broker, "progress-unchanged");
        try (RunningInvalidator invalidator = RunningInvalidator.on(broker, redis.port(), topics)
                     .property("cachebus.invalidator.progress.unchanged-interval", unchangedInterval.toString())
                     .start();
             KafkaTestClient kafka = new KafkaTestClient(broker, topics);
             TopicReader evictions = kafka.evictions()) {
            Map<Integer, Long> empty = IntStream.range(0, KafkaBroker.MUTATION_PARTITIONS).boxed()
                    .collect(Collectors.toMap(p -> p, p -> 0L));
            await().atMost(TIMEOUT).until(() -> ProgressView.covers(evictions.messages(), empty));
            kafka.publish(IntStream.range(0, 20).mapToObj(i -> mutation("t-unchanged-" + i, "workflows", 1)).toList());
            Map<Integer, Long> end = kafka.endOffsets();
            await("what changed is reported at once").atMost(TIMEOUT)
                    .until(() -> ProgressView.vouchesFor(evictions.messages(), end));

            Instant idleSince = Instant.now();
            await("unchanged reports still come, now and then").atMost(TIMEOUT)
                    .until(() -> repeatsOfUnchangedReports(evictions.messages(), idleSince).size() >= 3);
            // the emitting clock is the invalidator's, the interval its monotonic one: a little slack
            Duration shortestRepeat = unchangedInterval.minusMillis(100);
            assertThat(repeatsOfUnchangedReports(evictions.messages(), idleSince))
                    .allSatisfy(gap -> assertThat(gap).isGreaterThanOrEqualTo(shortestRepeat));
        }
    }

    @Test
    void perGroupHeartbeatsVouchForEarlierOnesOnceKafkaAcknowledgedThem(KafkaBroker broker, RedisServer redis) {
        BusTopics topics = BusTopics.create(broker, "progress-per-group");
        try (RunningInvalidator invalidator = RunningInvalidator.on(broker, redis.port(), topics)
                     .property("cachebus.invalidator.broadcast-format", "per-group").start();
             KafkaTestClient kafka = new KafkaTestClient(broker, topics);
             TopicReader evictions = kafka.evictions()) {
            kafka.publish(IntStream.range(0, 40).mapToObj(i -> mutation("t-per-group-" + i, "workflows", 1)).toList());
            Map<Integer, Long> end = kafka.endOffsets();

            await().atMost(TIMEOUT).until(() -> ProgressView.vouchesFor(evictions.messages(), end));
            assertThat(evictions.batches()).as("the per-group format").isEmpty();
            assertThat(ProgressView.vouchedReportsAllEarlierInTheirPartition(evictions.messages())).isPositive();
        }
    }

    @Test
    void aPoisonRecordIsCoveredOnceItIsDeadLettered(KafkaBroker broker, RedisServer redis) {
        BusTopics topics = BusTopics.create(broker, "progress-poison");
        try (RunningInvalidator invalidator = RunningInvalidator.on(broker, redis.port(), topics).start();
             KafkaTestClient kafka = new KafkaTestClient(broker, topics);
             TopicReader evictions = kafka.evictions()) {
            String key = CacheKeys.recordKey("t-poison", "workflows");
            RecordMetadata poison = kafka.publishRaw(key, "{not json".getBytes(StandardCharsets.UTF_8));

            await().atMost(TIMEOUT).until(() -> ProgressView.covers(evictions.messages(),
                    Map.of(poison.partition(), poison.offset() + 1)));
            assertThat(kafka.deadLetterCount()).as("dead-lettered before any heartbeat covered it").isEqualTo(1);
        }
    }

    @Test
    void anInvalidatorStopsReportingThePartitionsItNoLongerHolds(KafkaBroker broker, RedisServer redis) {
        BusTopics topics = BusTopics.create(broker, "progress-revoke");
        try (RunningInvalidator first = RunningInvalidator.on(broker, redis.port(), topics)
                     .property("cachebus.invalidator.concurrency", 1)
                     .property("cachebus.invalidator.invalidator-id", "first").start();
             KafkaTestClient kafka = new KafkaTestClient(broker, topics);
             TopicReader evictions = kafka.evictions()) {
            await().atMost(TIMEOUT).until(() -> reported(evictions.messages(), "first", Instant.EPOCH).size()
                    == KafkaBroker.MUTATION_PARTITIONS);

            try (RunningInvalidator second = RunningInvalidator.on(broker, redis.port(), topics)
                         .property("cachebus.invalidator.concurrency", 1)
                         .property("cachebus.invalidator.invalidator-id", "second").start()) {
                await().atMost(TIMEOUT).until(() -> first.container().getAssignedPartitions().size() == 3
                        && second.container().getAssignedPartitions().size() == 3);
                Instant settled = Instant.now();
                Set<Integer> firstHolds = partitions(first);
                Set<Integer> secondHolds = partitions(second);

                // an idle holder repeats an unchanged report only every unchanged-interval: wait for both
                await().atMost(TIMEOUT).until(() -> reported(evictions.messages(), "second", settled).size() == 3
                        && !reported(evictions.messages(), "first", settled).isEmpty());
                assertThat(reported(evictions.messages(), "first", settled)).isEqualTo(firstHolds);
                assertThat(reported(evictions.messages(), "second", settled)).isEqualTo(secondHolds);
                kafka.publish(IntStream.range(0, 40).mapToObj(i -> mutation("t-handover-" + i, "workflows", 1))
                        .toList());
                Map<Integer, Long> end = kafka.endOffsets();
                await("the new holders vouch for their own reports").atMost(TIMEOUT).until(() ->
                        ProgressView.vouchesFor(evictions.messages(), end)
                                && vouching(evictions.messages(), "second").containsAll(secondHolds));
                // a partition that changed hands is re-covered from its committed offset: an overlap, never a skip
                assertThat(ProgressView.vouchedReportsAllEarlierInTheirPartition(evictions.messages())).isPositive();
            }
        }
    }

    /**
     * For each heartbeat: every published record below a {@code processedThrough} it claims, whose broadcast went to
     * the heartbeat's evictions partition, has that broadcast earlier in the partition, or in the same record (a
     * compact batch, whose scopes a node applies before its progress).
     */
    private static void assertNoHeartbeatAheadOfItsBroadcasts(List<Message> messages,
                                                              Map<UUID, RecordMetadata> published) {
        Map<UUID, Message> firstBroadcast = new HashMap<>();
        for (Message message : messages) {
            message.broadcasts().forEach(b -> b.eventIds().forEach(id -> firstBroadcast.putIfAbsent(id, message)));
        }
        assertThat(firstBroadcast.keySet()).containsAll(published.keySet());
        int checked = 0;
        for (Message message : messages) {
            if (message.progress().isEmpty()) {
                continue;
            }
            for (PartitionProgress claim : message.progress().get().partitions()) {
                for (Map.Entry<UUID, RecordMetadata> event : published.entrySet()) {
                    RecordMetadata record = event.getValue();
                    Message broadcast = firstBroadcast.get(event.getKey());
                    if (record.partition() == claim.partition() && record.offset() < claim.processedThrough()
                            && broadcast.partition() == message.partition()) {
                        assertThat(broadcast.offset())
                                .as("broadcast of %s-%s not after the heartbeat at %s-%s claiming %s",
                                        record.partition(), record.offset(), message.partition(), message.offset(), claim)
                                .isLessThanOrEqualTo(message.offset());
                        checked++;
                    }
                }
            }
        }
        assertThat(checked).as("claims checked").isPositive();
    }

    /**
     * For each heartbeat emitted after {@code since} that says exactly what the previous heartbeat of the same
     * invalidator consumer said on the same evictions partition (a consumer is told apart by the partitions it
     * reports), the time since that previous one.
     */
    private static List<Duration> repeatsOfUnchangedReports(List<Message> messages, Instant since) {
        Map<String, InvalidationProgress> previous = new HashMap<>();
        List<Duration> gaps = new ArrayList<>();
        for (Message message : messages) {
            if (message.progress().isEmpty()) {
                continue;
            }
            InvalidationProgress report = message.progress().get();
            String consumer = message.partition() + "/" + report.invalidatorId() + "/"
                    + report.partitions().stream().map(PartitionProgress::partition).toList();
            InvalidationProgress before = previous.put(consumer, report);
            if (before != null && report.emittedAt().isAfter(since) && before.partitions().equals(report.partitions())
                    && before.redisPending() == report.redisPending()) {
                gaps.add(Duration.between(before.emittedAt(), report.emittedAt()));
            }
        }
        return gaps;
    }

    /** The mutation partitions named by the invalidator's heartbeats emitted after {@code since}. */
    private static Set<Integer> reported(List<Message> messages, String invalidatorId, Instant since) {
        return messages.stream().flatMap(m -> m.progress().stream())
                .filter(p -> p.invalidatorId().equals(invalidatorId) && p.emittedAt().isAfter(since))
                .flatMap(p -> p.partitions().stream()).map(PartitionProgress::partition)
                .collect(Collectors.toSet());
    }

    /** The mutation partitions for which the invalidator's reports vouch for an acknowledged earlier one. */
    private static Set<Integer> vouching(List<Message> messages, String invalidatorId) {
        return messages.stream().flatMap(m -> m.progress().stream())
                .filter(p -> p.invalidatorId().equals(invalidatorId))
                .flatMap(p -> p.partitions().stream()).filter(p -> p.acknowledgedThrough() > 0)
                .map(PartitionProgress::partition).collect(Collectors.toSet());
    }

    private static Set<Integer> partitions(RunningInvalidator invalidator) {
        return invalidator.container().getAssignedPartitions().stream().map(TopicPartition::partition)
                .collect(Collectors.toSet());
    }
}
