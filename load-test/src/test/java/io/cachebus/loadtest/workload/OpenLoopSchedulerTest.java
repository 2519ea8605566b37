package io.cachebus.loadtest.workload;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OpenLoopSchedulerTest {

    private record Sent(long sequence, long intended, long actual) {
    }

    @Test
    void sendsAtTheFixedRateWithTheIntendedTimesFixedInAdvance() throws InterruptedException {
        VirtualClock clock = new VirtualClock();
        OpenLoopScheduler scheduler = new OpenLoopScheduler(1_000, 10, clock);
        List<Sent> sent = new ArrayList<>();
        long start = clock.now;

        OpenLoopScheduler.Outcome outcome = scheduler.run(Duration.ofMillis(250), Duration.ofSeconds(1),
                (sequence, intended) -> {
                    sent.add(new Sent(sequence, intended, clock.now));
                    return CompletableFuture.completedFuture(null);
                });

        assertThat(outcome.scheduled()).isEqualTo(250);
        assertThat(outcome.startNanos()).isEqualTo(start);
        assertThat(sent).hasSize(250);
        for (int i = 0; i < sent.size(); i++) {
            assertThat(sent.get(i).sequence()).isEqualTo(i);
            assertThat(sent.get(i).intended()).isEqualTo(start + i * 1_000_000L);
            assertThat(sent.get(i).actual()).isEqualTo(sent.get(i).intended());
        }
    }

    @Test
    void aRunNoLongerThanItsDurationStopsSendingWhenTheTimeIsUpThoughRequestsWereHeldBack()
            throws InterruptedException {
        // each request takes 10 ms and only one may be in flight: 1,000/s offered, 100/s served
        VirtualClock clock = new VirtualClock();
        OpenLoopScheduler.Dispatcher tenMillisEach = (sequence, intended) -> {
            clock.now += 10_000_000L;
            return CompletableFuture.completedFuture(null);
        };

        OpenLoopScheduler.Outcome cut = new OpenLoopScheduler(1_000, 1, clock)
                .runNoLongerThan(Duration.ofMillis(100), Duration.ofSeconds(1), tenMillisEach);
        OpenLoopScheduler.Outcome whole = new OpenLoopScheduler(1_000, 1, clock)
                .run(Duration.ofMillis(100), Duration.ofSeconds(1), tenMillisEach);

        assertThat(cut.scheduled()).isEqualTo(10);
        assertThat(whole.scheduled()).as("an open-loop run sends every request it planned").isEqualTo(100);
    }

    @Test
    void fractionalIntervalsDoNotDrift() {
        OpenLoopScheduler scheduler = new OpenLoopScheduler(3, 1, new VirtualClock());
        assertThat(scheduler.intendedTime(0, 3)).isEqualTo(1_000_000_000L);
        assertThat(scheduler.intendedTime(0, 300)).isEqualTo(100_000_000_000L);
        assertThat(scheduler.intendedTime(0, 1)).isEqualTo(333_333_333L);
        assertThat(scheduler.requestsIn(Duration.ofMillis(999))).isEqualTo(2);
    }

    @Test
    void slowResponsesDelaySendingButNeverMoveTheIntendedTimes() throws InterruptedException {
        ScheduledExecutorService server = Executors.newSingleThreadScheduledExecutor();
        try {
            // one request at a time, each answered after 20 ms, at an intended 1 per ms: a queue builds up
            OpenLoopScheduler scheduler = new OpenLoopScheduler(1_000, 1, NanoClock.SYSTEM);
            List<Sent> sent = new ArrayList<>();
            scheduler.run(Duration.ofMillis(10), Duration.ofSeconds(5), (sequence, intended) -> {
                sent.add(new Sent(sequence, intended, System.nanoTime()));
                CompletableFuture<Void> response = new CompletableFuture<>();
                server.schedule(() -> response.complete(null), 20, TimeUnit.MILLISECONDS);
                return response;
            });

            assertThat(sent).hasSize(10);
            long start = sent.get(0).intended();
            for (int i = 0; i < sent.size(); i++) {
                assertThat(sent.get(i).intended()).isEqualTo(start + i * 1_000_000L);
                // request i waited for the i responses before it: latency measured from the intended time
                // includes that queueing, which a closed-loop generator would have hidden
                assertThat(sent.get(i).actual() - sent.get(i).intended())
                        .isGreaterThanOrEqualTo(i * 19_000_000L - i * 1_000_000L);
            }
        } finally {
            server.shutdownNow();
        }
    }

    @Test
    void aDispatcherThatThrowsIsCountedAndTheRunGoesOn() throws InterruptedException {
        VirtualClock clock = new VirtualClock();
        OpenLoopScheduler scheduler = new OpenLoopScheduler(100, 2, clock);
        List<Long> completed = new ArrayList<>();

        OpenLoopScheduler.Outcome outcome = scheduler.run(Duration.ofMillis(100), Duration.ofSeconds(1),
                (sequence, intended) -> {
                    if (sequence % 2 == 0) {
                        throw new IllegalStateException("refused");
                    }
                    completed.add(sequence);
                    return CompletableFuture.completedFuture(null);
                });

        assertThat(outcome.scheduled()).isEqualTo(10);
        assertThat(outcome.dispatchFailures()).isEqualTo(5);
        assertThat(completed).containsExactly(1L, 3L, 5L, 7L, 9L);
        assertThat(outcome.stillInFlight()).isZero();
    }

    @Test
    void requestsThatNeverAnswerAreReportedAfterTheDrainTimeout() throws InterruptedException {
        OpenLoopScheduler scheduler = new OpenLoopScheduler(1_000, 10, NanoClock.SYSTEM);
        OpenLoopScheduler.Outcome outcome = scheduler.run(Duration.ofMillis(3), Duration.ofMillis(50),
                (sequence, intended) -> new CompletableFuture<>());
        assertThat(outcome.stillInFlight()).isEqualTo(3);
    }
}
