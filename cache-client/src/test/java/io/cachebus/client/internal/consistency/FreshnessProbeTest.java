package io.cachebus.client.internal.consistency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cachebus.client.internal.outbox.OutboxBacklog;
import io.cachebus.client.internal.outbox.OutboxSchema;
import io.cachebus.client.internal.tiered.Scope;
import io.cachebus.events.InvalidationProgress;
import io.cachebus.events.InvalidationProgress.PartitionProgress;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The reasoning of the staleness bound on a real outbox table (H2) with the mutation topic's end offsets and the
 * invalidators' progress given by the test: when a node may serve cached data, and when it must read through.
 */
class FreshnessProbeTest {

    private static final int PARTITIONS = 4;
    private static final Duration BOUND = Duration.ofSeconds(1);
    private static final Duration PAUSE_WHEN_UNASKED_FOR = Duration.ofSeconds(30);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-05T10:00:00Z"));
    private final long[] endOffsets = new long[PARTITIONS];
    private final InvalidationWatermarks watermarks = new InvalidationWatermarks(clock, BOUND);
    private final EnforcedStalenessBound bound = new EnforcedStalenessBound(BOUND, clock);
    private boolean kafkaDown;
    private volatile int endOffsetReads;
    private JdbcTemplate jdbc;
    private FreshnessProbe probe;

    @BeforeEach
    void setUp() {
        jdbc = new JdbcTemplate(new DriverManagerDataSource(
                "jdbc:h2:mem:probe-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;MODE=PostgreSQL"));
        OutboxSchema.create(jdbc);
        probe = new FreshnessProbe(this::readEndOffsets, new OutboxBacklog(jdbc, 100), watermarks, bound, clock,
                Duration.ofMillis(100), PAUSE_WHEN_UNASKED_FOR, new SimpleMeterRegistry(), () -> { });
        watermarks.assigned(List.of(0, 1));
    }

    private long[] readEndOffsets() {
        endOffsetReads++;
        if (kafkaDown) {
            throw new org.apache.kafka.common.errors.TimeoutException("broker unreachable");
        }
        return endOffsets.clone();
    }

    @Test
    void nothingIsServedFromTheCachesBeforeTheInvalidatorsHaveReported() {
        probe.tick();
        assertThat(bound.allowsCachedRead(List.of(domain("t1", "workflows")))).isFalse();
        assertThat(bound.lagSeconds()).isInfinite();
    }

    @Test
    void cachesServeOnceProgressOnEveryEvictionsPartitionPassedTheEndOffsets() {
        endOffsets[0] = 5;
        probe.tick();
        report(0, progress(5));
        probe.tick();
        assertThat(bound.allowsCachedRead(List.of(domain("t1", "workflows"))))
                .as("evictions partition 1 has not vouched for its broadcasts yet").isFalse();

        report(1, progress(5));
        probe.tick();
        assertThat(bound.allowsCachedRead(List.of(domain("t1", "workflows")))).isTrue();
    }

    @Test
    void progressCoveringAProbeCountsWhenItArrivesNotAtTheNextProbe() {
        caughtUp();
        clock.advance(Duration.ofMillis(100));
        Instant probed = clock.instant();
        endOffsets[1] = 7;
        probe.tick();
        clock.advance(Duration.ofMillis(20));
        reportEverywhere(endOffsets); // the invalidators covered the probe's offsets 20 ms after it; no probe since

        assertThat(bound.safeThrough()).as("every partition vouched for up to the probe's time, not an earlier one")
                .containsOnly(probed.toEpochMilli());
        assertThat(bound.lagSeconds()).isEqualTo(0.02);
    }

    @Test
    void progressFromSomeEvictionsPartitionsOnlyMovesNoTime() {
        caughtUp();
        long caughtUpAt = clock.millis();
        clock.advance(Duration.ofMillis(100));
        endOffsets[1] = 7;
        probe.tick();
        clock.advance(Duration.ofMillis(20));
        report(0, progress(endOffsets)); // evictions partition 1 has not vouched for its broadcasts yet

        assertThat(bound.safeThrough()[1]).isEqualTo(caughtUpAt);
    }

    @Test
    void aPartitionBehindItsEndOffsetGatesOnlyItsOwnDomainsAndEveryTag() {
        String tenant = "t1";
        int behind = MutationPartitioner.partitionOf(tenant, "workflows", PARTITIONS);
        String otherDomain = IntStream.range(0, 100).mapToObj(i -> "domain" + i)
                .filter(d -> MutationPartitioner.partitionOf(tenant, d, PARTITIONS) != behind).findFirst().orElseThrow();
        caughtUp();
        endOffsets[behind] += 3; // three mutations the invalidators have not reported yet
        clock.advance(Duration.ofMillis(1_100));
        probe.tick();

        assertThat(bound.allowsCachedRead(List.of(domain(tenant, "workflows")))).isFalse();
        assertThat(bound.allowsCachedRead(List.of(domain(tenant, otherDomain)))).isTrue();
        assertThat(bound.allowsCachedRead(List.of(domain(tenant, otherDomain), tag(tenant, otherDomain, "counts"))))
                .as("a tag can be named by a mutation on any partition").isFalse();

        reportEverywhere(endOffsets);
        probe.tick();
        assertThat(bound.allowsCachedRead(List.of(domain(tenant, "workflows"), tag(tenant, "workflows", "steps"))))
                .isTrue();
    }

    @Test
    void anUnsentOutboxRowHoldsItsPartitionBackWhateverTheOffsets() {
        caughtUp();
        Instant committed = clock.instant();
        insertUnsentRow("t1", "workflows", committed);
        clock.advance(Duration.ofMillis(500));
        probe.tick();
        reportEverywhere(endOffsets);
        probe.tick();
        assertThat(bound.allowsCachedRead(List.of(domain("t1", "workflows")))).as("within the bound").isTrue();

        clock.advance(Duration.ofMillis(600)); // the row is now 1.1 s old and still not in Kafka
        probe.tick();
        assertThat(bound.allowsCachedRead(List.of(domain("t1", "workflows")))).isFalse();
        assertThat(bound.lagSeconds()).isGreaterThanOrEqualTo(1.1);

        jdbc.update("UPDATE cachebus_outbox SET sent_at = ? WHERE sent_at IS NULL",
                clock.instant().atOffset(ZoneOffset.UTC));
        endOffsets[MutationPartitioner.partitionOf("t1", "workflows", PARTITIONS)]++;
        probe.tick();
        reportEverywhere(endOffsets);
        probe.tick();
        assertThat(bound.allowsCachedRead(List.of(domain("t1", "workflows")))).isTrue();
    }

    @Test
    void progressThatStopsClosesTheCachesOnceTheBoundHasPassed() {
        caughtUp();
        clock.advance(Duration.ofMillis(900));
        probe.tick();
        assertThat(bound.allowsCachedRead(List.of(domain("t1", "workflows")))).isTrue();

        endOffsets[1] = 10; // writes go on, the invalidators have stopped reporting
        clock.advance(Duration.ofMillis(50));
        probe.tick();
        clock.advance(Duration.ofMillis(1_000));
        probe.tick();
        assertThat(bound.allowsCachedRead(List.of(tag("t1", "workflows", "steps")))).isFalse();
    }

    @Test
    void aNodeThatCannotReachKafkaStopsServingCachedDataOnceTheBoundHasPassed() {
        caughtUp();
        kafkaDown = true;
        clock.advance(Duration.ofMillis(900));
        probe.tick();
        assertThat(bound.allowsCachedRead(List.of(domain("t1", "workflows")))).isTrue();
        clock.advance(Duration.ofMillis(200));
        probe.tick();
        assertThat(bound.allowsCachedRead(List.of(domain("t1", "workflows")))).isFalse();

        kafkaDown = false;
        probe.tick();
        assertThat(bound.allowsCachedRead(List.of(domain("t1", "workflows")))).isTrue();
    }

    @Test
    void probesNoPartitionCanUseAnyMoreAreDropped() {
        caughtUp();
        for (int i = 0; i < 50; i++) {
            endOffsets[0]++;
            clock.advance(Duration.ofMillis(100));
            probe.tick();
        }
        reportEverywhere(endOffsets);
        probe.tick();
        assertThat(bound.allowsCachedRead(List.of(tag("t1", "workflows", "steps")))).isTrue();
        clock.advance(Duration.ofMillis(100));
        probe.tick();
        assertThat(bound.allowsCachedRead(List.of(tag("t1", "workflows", "steps")))).isTrue();
    }

    @Test
    void aNodeNoReadAskedStopsProbingAndItsFirstReadAfterwardsReadsThroughAndWakesTheProbe() {
        List<Scope> workflows = List.of(domain("t1", "workflows"));
        caughtUp();
        probe.round();
        int probesWhileAsked = endOffsetReads;
        assertThat(bound.waitingForARead()).isFalse();

        clock.advance(PAUSE_WHEN_UNASKED_FOR.plusMillis(1));
        probe.round();
        clock.advance(BOUND.multipliedBy(2));
        probe.round();
        assertThat(endOffsetReads).as("no probe while no read asks").isEqualTo(probesWhileAsked);
        assertThat(bound.waitingForARead()).isTrue();

        // meanwhile another node wrote: its mutation is in Kafka and not invalidated here yet
        endOffsets[MutationPartitioner.partitionOf("t1", "workflows", PARTITIONS)]++;
        assertThat(bound.allowsCachedRead(workflows)).as("the first read after the pause reads through").isFalse();
        assertThat(bound.waitingForARead()).as("woken by that read").isFalse();
        probe.round();
        assertThat(endOffsetReads).as("probing again").isEqualTo(probesWhileAsked + 1);
        assertThat(bound.allowsCachedRead(workflows)).as("not before the invalidators covered the write").isFalse();

        reportEverywhere(endOffsets);
        probe.round();
        assertThat(bound.allowsCachedRead(workflows)).isTrue();
    }

    /**
     * The same on the probe's own scheduler: its rounds stop while it pauses, and a read starts them again, running
     * the first round itself before it is judged.
     */
    @Test
    void aPausedProbeWakesUpOnItsOwnAtTheNextRead() {
        Clock realClock = Clock.systemUTC();
        EnforcedStalenessBound realBound = new EnforcedStalenessBound(BOUND, realClock);
        FreshnessProbe scheduled = new FreshnessProbe(this::readEndOffsets, null, watermarks, realBound, realClock,
                Duration.ofMillis(10), Duration.ofMillis(200), new SimpleMeterRegistry(), () -> { });
        reportEverywhere(endOffsets);
        scheduled.start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(realBound::waitingForARead);
            int whilePaused = endOffsetReads;
            // paused for longer than the bound: without a round first, the read would have to go to the database
            await().pollDelay(BOUND.plusMillis(100)).atMost(BOUND.plusSeconds(1)).until(() -> true);
            assertThat(realBound.allowsCachedRead(List.of(domain("t1", "workflows"))))
                    .as("the first read after a pause longer than the bound, nothing written meanwhile: the round it"
                            + " runs first finds the node caught up, so it is answered from the caches").isTrue();
            await("rounds again after the read").atMost(Duration.ofSeconds(30))
                    .until(() -> endOffsetReads > whilePaused + 1);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> realBound.allowsCachedRead(List.of(domain("t1", "workflows"))));
        } finally {
            scheduled.stop();
        }
    }

    private void caughtUp() {
        probe.tick();
        reportEverywhere(endOffsets);
        probe.tick();
        assertThat(bound.allowsCachedRead(List.of(domain("t1", "workflows")))).isTrue();
    }

    private void reportEverywhere(long[] offsets) {
        report(0, progress(offsets));
        report(1, progress(offsets));
    }

    private void report(int evictionsPartition, InvalidationProgress progress) {
        watermarks.observe(evictionsPartition, progress);
    }

    private static InvalidationProgress progress(long... offsets) {
        List<PartitionProgress> partitions = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            partitions.add(new PartitionProgress(p, p < offsets.length ? offsets[p] : 0));
        }
        return new InvalidationProgress("invalidator-1", partitions, Instant.EPOCH);
    }

    private void insertUnsentRow(String tenant, String domain, Instant createdAt) {
        jdbc.update("""
                INSERT INTO cachebus_outbox (event_id, tenant, domain, sequence, payload, source_node, created_at)
                VALUES (?, ?, ?, 1, '{}', 'other-node', ?)""",
                UUID.randomUUID().toString(), tenant, domain, createdAt.atOffset(ZoneOffset.UTC));
    }

    private static Scope domain(String tenant, String domain) {
        return Scope.ofDomain(tenant, domain);
    }

    private static Scope tag(String tenant, String domain, String name) {
        return new Scope(tenant, domain, name);
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
