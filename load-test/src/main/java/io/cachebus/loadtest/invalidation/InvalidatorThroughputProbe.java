package io.cachebus.loadtest.invalidation;

import io.cachebus.events.DomainMutated;
import io.cachebus.events.EventCodec;
import io.cachebus.events.EventDecodingException;
import io.cachebus.events.EvictionBatch;
import io.cachebus.events.EvictionBroadcast;
import io.cachebus.events.EvictionsTopicMessage;
import io.cachebus.events.Topics;
import io.cachebus.loadtest.deployment.InvalidatorControl;
import io.cachebus.loadtest.kafka.HarnessKafkaClients;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * How many events per second the invalidator group works off, and how far it coalesces them, measured from the
 * outside: the harness produces a backlog of {@link DomainMutated} events for tenants of its own, then watches
 * the eviction broadcasts that cover them.
 *
 * <p>With {@link InvalidatorControl} the invalidators are stopped (a group of one: paused) while the backlog is
 * produced, then one instance is started (resumed) alone on it, so the figure is one instance's speed, not the harness's, and it is read from the
 * group's committed offsets (Kafka's Admin API): the events committed after the group's first commit, over the time
 * from that commit to the one that reaches the end of the backlog. Group joining and start-up do not count, and the
 * figure does not depend on the harness keeping up with the broadcasts. Without control the invalidators consume
 * while the harness produces, their group is not known, and the rate is taken between the first and the last
 * broadcast covering the backlog (the first poll's events left out): a lower bound. The broadcasts give the
 * coalescing either way.
 */
public final class InvalidatorThroughputProbe {

    /**
     * @param events           events produced
     * @param broadcasts       evictions records that covered them (per-group broadcasts, or compact batches)
     * @param eventsPerSecond  events worked off per second
     * @param coalescingRatio  events per evictions record
     * @param backlogFirst     whether the events were all in Kafka before one invalidator instance started on
     *                         them alone, the rate read from the group's committed offsets (else the figure is the
     *                         whole group's, measured from the broadcasts while producing)
     */
    public record Result(long events, long broadcasts, double eventsPerSecond, double coalescingRatio,
            boolean backlogFirst) {
    }

    /** The group's committed progress on the backlog: when its first commit and its last were seen. */
    private static final class CommitWindow {
        private final GroupOffsets offsets;
        private final Map<TopicPartition, Long> end;
        private final long backlog;
        private long firstCommitNanos;
        private long remainingAfterFirstCommit;
        private long lastCommitNanos;
        private long remaining;

        CommitWindow(GroupOffsets offsets) {
            this.offsets = offsets;
            this.end = offsets.endOffsets();
            this.backlog = offsets.remaining(end);
            this.remaining = backlog;
        }

        void observe(long now) {
            if (remaining == 0) {
                return;
            }
            long left = offsets.remaining(end);
            if (left < remaining) {
                if (firstCommitNanos == 0) {
                    firstCommitNanos = now;
                    remainingAfterFirstCommit = left;
                }
                lastCommitNanos = now;
            }
            remaining = left;
        }

        boolean done() {
            return remaining == 0;
        }

        double eventsPerSecond() {
            double seconds = (lastCommitNanos - firstCommitNanos) / 1e9;
            return seconds > 0 ? remainingAfterFirstCommit / seconds : Double.NaN;
        }
    }

    private static final Duration POLL = Duration.ofMillis(20);

    /**
     * The probe as a reader of the evictions topic: it wrote nothing, so a batch's event ids are not read (it counts a
     * scope's events by its {@code events}), as a node reads none but its own.
     */
    private static final String READER = "invalidator-throughput-probe";

    private final String bootstrapServers;
    private final Optional<InvalidatorControl> control;
    private final EventCodec codec = new EventCodec();

    public InvalidatorThroughputProbe(String bootstrapServers, Optional<InvalidatorControl> control) {
        this.bootstrapServers = bootstrapServers;
        this.control = control;
    }

    /**
     * @param events  events in the backlog
     * @param scopes  distinct (tenant, domain) pairs they are spread over, round-robin
     * @param timeout how long to wait for the last broadcast
     */
    public Result run(int events, int scopes, Duration timeout) {
        Runnable nothing = () -> {
        };
        return run(events, scopes, timeout, nothing, nothing);
    }

    /**
     * {@link #run(int, int, Duration)}, calling {@code released} once the backlog is in Kafka, right before the
     * invalidators are let at it, and {@code workedOff} once they have committed all of it (without control over
     * them: once its broadcasts covered all of it): what happens in between is the measured work.
     */
    public Result run(int events, int scopes, Duration timeout, Runnable released, Runnable workedOff) {
        return run(newTenantPrefix(), events, scopes, timeout, released, workedOff);
    }

    /** Tenants of a backlog no other backlog named: its events each name an entity (a Redis counter) of their own. */
    public static String newTenantPrefix() {
        return "ltinv" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * {@link #run(int, int, Duration, Runnable, Runnable)} over the tenants named after {@code tenantPrefix}: backlogs
     * of one prefix and size name the same entities, so the later ones bump the Redis counters the first created
     * instead of adding as many again.
     */
    public Result run(String tenantPrefix, int events, int scopes, Duration timeout, Runnable released,
            Runnable workedOff) {
        List<MutationBacklog.Scope> scopeList = MutationBacklog.scopes(tenantPrefix, scopes);
        try (KafkaConsumer<String, byte[]> evictions = evictionConsumer();
                GroupOffsets offsets = control.map(c -> new GroupOffsets(bootstrapServers, c.consumerGroup()))
                        .orElse(null)) {
            // A group of one is paused rather than stopped: the same instance alone on the backlog, without the
            // restart of a JVM (half a minute on two cores) and the group's rejoin
            boolean alone = control.map(c -> c.instances() == 1).orElse(false);
            control.ifPresent(c -> {
                if (alone) {
                    c.pause();
                } else {
                    c.stopAll();
                }
            });
            try {
                Map<String, Long> lastSequence = MutationBacklog.produce(bootstrapServers, events, scopeList);
                CommitWindow commits = offsets == null ? null : new CommitWindow(offsets);
                released.run();
                control.ifPresent(c -> {
                    if (alone) {
                        c.resume();
                    } else {
                        c.startOne();
                    }
                });
                return watch(evictions, events, lastSequence, timeout, commits, workedOff);
            } finally {
                control.ifPresent(c -> {
                    if (alone) {
                        c.resume(); // after a failure between pause and resume; a no-op otherwise
                    } else {
                        c.startAll();
                    }
                });
            }
        }
    }

    private KafkaConsumer<String, byte[]> evictionConsumer() {
        Properties config = HarnessKafkaClients.consumer(bootstrapServers, StringDeserializer.class);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config);
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.EVICTIONS, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition()))
                .toList();
        if (partitions.isEmpty()) {
            consumer.close();
            throw new IllegalStateException("topic " + Topics.EVICTIONS + " has no partitions");
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolve "end" now, before the backlog is produced
        return consumer;
    }

    /**
     * With the group's offsets at hand, the measured window only reads them (a listing of the group's offsets every
     * {@link #POLL}); the broadcasts are read and checked after it, so the harness's own decoding of every broadcast,
     * on the CPU the broker and redis-server share, is not part of what it times. Without them the broadcasts are
     * the clock.
     */
    private Result watch(KafkaConsumer<String, byte[]> evictions, int events, Map<String, Long> lastSequence,
            Duration timeout, CommitWindow commits, Runnable workedOff) {
        Map<String, Long> covered = new HashMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        if (commits != null) {
            while (!commits.done()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the invalidators committed "
                            + (commits.backlog - commits.remaining) + " of " + commits.backlog + " records within "
                            + timeout);
                }
                sleep(POLL);
                commits.observe(System.nanoTime());
            }
            workedOff.run();
        }
        long firstArrival = 0;
        long lastArrival = 0;
        long eventsInFirstPoll = 0;
        long eventsSeen = 0;
        long broadcasts = 0;
        while (!allCovered(covered, lastSequence)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the invalidators covered " + eventsSeen + " of " + events
                        + " events within " + timeout);
            }
            ConsumerRecords<String, byte[]> records = evictions.poll(POLL);
            long arrival = System.nanoTime();
            long eventsThisPoll = 0;
            for (ConsumerRecord<String, byte[]> record : records) {
                List<Covered> coveredByRecord = covered(record);
                boolean ours = false;
                for (Covered scope : coveredByRecord) {
                    if (lastSequence.containsKey(scope.key())) {
                        covered.merge(scope.key(), scope.toSequence(), Math::max);
                        eventsThisPoll += scope.events();
                        ours = true;
                    }
                }
                if (ours) {
                    broadcasts++;
                }
            }
            if (eventsThisPoll > 0) {
                if (firstArrival == 0) {
                    firstArrival = arrival;
                    eventsInFirstPoll = eventsThisPoll;
                }
                lastArrival = arrival;
                eventsSeen += eventsThisPoll;
            }
        }
        if (commits == null) {
            workedOff.run();
        }
        double windowSeconds = (lastArrival - firstArrival) / 1e9;
        double perSecond = commits != null ? commits.eventsPerSecond()
                : windowSeconds > 0 ? (eventsSeen - eventsInFirstPoll) / windowSeconds : Double.NaN;
        return new Result(events, broadcasts, perSecond, broadcasts == 0 ? 0 : (double) eventsSeen / broadcasts,
                control.isPresent());
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the invalidators worked the backlog off", e);
        }
    }

    /** What one evictions record covers, per (tenant, domain): up to which sequence, and how many events. */
    private record Covered(String key, long toSequence, long events) {
    }

    /** Per-group broadcasts and compact batches alike; heartbeats and records of other writers cover nothing. */
    private List<Covered> covered(ConsumerRecord<String, byte[]> record) {
        EvictionsTopicMessage message;
        try {
            message = codec.decodeEvictionsTopic(record.value(), READER);
        } catch (EventDecodingException notOurs) {
            return List.of();
        }
        if (message instanceof EvictionBroadcast broadcast) {
            // The ids name the events exactly; the sequence range is the same count when a writer sends none.
            long events = broadcast.eventIds().isEmpty()
                    ? broadcast.toSequence() - broadcast.fromSequence() + 1 : broadcast.eventIds().size();
            return List.of(new Covered(broadcast.tenant() + ":" + broadcast.domain(), broadcast.toSequence(), events));
        }
        if (message instanceof EvictionBatch batch) {
            return batch.scopes().stream().map(scope -> new Covered(scope.tenant() + ":" + scope.domain(),
                    scope.toSequence(), scope.events())).toList();
        }
        return List.of();
    }

    private static boolean allCovered(Map<String, Long> covered, Map<String, Long> lastSequence) {
        return lastSequence.entrySet().stream()
                .allMatch(e -> covered.getOrDefault(e.getKey(), 0L) >= e.getValue());
    }
}
