package io.cachebus.loadtest.measure;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.local.junit.LocalKafkaExtension;
import io.cachebus.local.kafka.KafkaBroker;
import java.time.Duration;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The bare Kafka hop probe on a real broker (the run's shared in-process one, KRaft). */
@ExtendWith(LocalKafkaExtension.class)
class KafkaHopProbeTest {

    @Test
    void timesTheRecordsSentWhileRecordingAndNoOthers(KafkaBroker kafka) throws Exception {
        try (KafkaHopProbe probe = KafkaHopProbe.start(kafka.bootstrapServers(), Duration.ofMillis(5))) {
            Thread.sleep(500);
            assertThat(probe.hops().getTotalCount()).as("records sent before record() are not timed").isZero();

            probe.record();
            Thread.sleep(1_000);
            probe.pause();
            awaitHops(probe, 50);
            Thread.sleep(500);
            Histogram recorded = probe.hops();
            Thread.sleep(500);

            assertThat(probe.hops().getTotalCount()).as("records sent after pause() are not timed")
                    .isEqualTo(recorded.getTotalCount());
            // one record every 5 ms for a second, give or take the scheduler
            assertThat(recorded.getTotalCount()).isBetween(50L, 260L);
            assertThat(recorded.getValueAtPercentile(50)).as("microseconds from send to poll").isPositive()
                    .isLessThan(Duration.ofSeconds(5).toNanos() / 1_000);
            assertThat(probe.sendFailures()).isZero();
        }
    }

    @Test
    void aPausedProbeSendsOneRecordASecondToKeepItsPathWarm(KafkaBroker kafka) throws Exception {
        try (KafkaHopProbe probe = KafkaHopProbe.start(kafka.bootstrapServers(), Duration.ofMillis(5))) {
            Thread.sleep(200);
            long before = probe.sent();
            Thread.sleep(2_000);
            // 400 at the probe's interval; one a second while paused
            assertThat(probe.sent() - before).as("sent in 2 s while paused").isBetween(1L, 4L);

            probe.record();
            long recordingFrom = probe.sent();
            Thread.sleep(500);
            assertThat(probe.sent() - recordingFrom).as("sent in 0.5 s while recording").isGreaterThan(20L);
        }
    }

    @Test
    void aSecondProbeUsesTheTopicTheFirstCreated(KafkaBroker kafka) throws Exception {
        try (KafkaHopProbe first = KafkaHopProbe.start(kafka.bootstrapServers(), Duration.ofMillis(20))) {
            first.record();
            awaitHops(first, 1);
        }
        try (KafkaHopProbe second = KafkaHopProbe.start(kafka.bootstrapServers(), Duration.ofMillis(20))) {
            second.record();
            awaitHops(second, 1);
        }
    }

    private static void awaitHops(KafkaHopProbe probe, long atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (probe.hops().getTotalCount() < atLeast) {
            assertThat(System.nanoTime()).as("%d hops timed within 10 s", atLeast).isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
