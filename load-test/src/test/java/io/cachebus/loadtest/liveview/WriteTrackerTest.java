package io.cachebus.loadtest.liveview;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class WriteTrackerTest {

    private static final long SECOND = 1_000_000_000L;
    private static final LocalTime NOON = LocalTime.NOON;

    private final WriteTracker writes = new WriteTracker(List.of("api-1", "api-2", "api-3"), Duration.ofSeconds(10));

    @Test
    void aWriteIsDoneOnceEveryNodeTheWriterIncludedAppliedItsEviction() {
        writes.writing(0, "t/workflows/1", NOON, 0);
        writes.applied(1, 1, 3.5, SECOND);
        writes.applied(2, 1, 4.5, SECOND);
        assertThat(writes.done(SECOND)).as("the writer's own broadcast has not been seen yet").isEmpty();
        assertThat(writes.waiting()).isTrue();

        writes.applied(0, 1, 2.0, SECOND);

        assertThat(writes.done(SECOND)).singleElement().satisfies(write -> {
            assertThat(write.writer()).isEqualTo("api-1");
            assertThat(write.arrivals()).containsExactly(
                    java.util.Map.entry("api-2", OptionalDouble.of(3.5)),
                    java.util.Map.entry("api-3", OptionalDouble.of(4.5)));
        });
        assertThat(writes.waiting()).isFalse();
    }

    @Test
    void aNodesBroadcastsGoToTheOldestWritesItHasNotSeenAndTheWritersOwnIsNotTakenForTheNextWrite() {
        writes.writing(0, "t/workflows/1", NOON, 0);
        writes.writing(1, "t/workflows/2", NOON, 0);
        // api-1 applies both writes' broadcasts between two samples, api-2 and api-3 one each
        writes.applied(0, 2, 6.0, SECOND);
        writes.applied(1, 1, 3.0, SECOND);
        writes.applied(2, 1, 4.0, SECOND);

        List<WriteArrivals> done = writes.done(SECOND);
        assertThat(done).singleElement().satisfies(write -> assertThat(write.arrivals().values())
                .containsExactly(OptionalDouble.of(3.0), OptionalDouble.of(4.0)));
        writes.applied(1, 1, 5.0, SECOND);
        writes.applied(2, 1, 7.0, SECOND);
        assertThat(writes.done(SECOND)).singleElement().satisfies(write -> {
            assertThat(write.writer()).isEqualTo("api-2");
            assertThat(write.arrivals()).containsOnlyKeys("api-1", "api-3");
            assertThat(write.arrivals().get("api-1")).hasValue(6.0);
            assertThat(write.arrivals().get("api-3")).hasValue(7.0);
        });
    }

    @Test
    void broadcastsDelayedLongerThanTheWriteExistedAreAnOlderWritesAndGoToNone() {
        writes.writing(0, "t/workflows/1", NOON, 10 * SECOND);
        // an eviction of the view's preparation, committed before the write was sent, arrives 1 s after it
        writes.applied(1, 1, 1500.0, 11 * SECOND);
        writes.applied(2, 1, 800.0, 11 * SECOND);
        writes.applied(0, 1, 700.0, 11 * SECOND);

        assertThat(writes.done(30 * SECOND)).singleElement().satisfies(write -> {
            assertThat(write.arrivals().get("api-2")).isEmpty();
            assertThat(write.arrivals().get("api-3")).hasValue(800.0);
        });
    }

    @Test
    void aWriteNotSeenEverywhereWithinTheWaitIsReportedAsFarAsItGotAndAFailedOneAtOnce() {
        writes.writing(0, "t/workflows/1", NOON, 0);
        WriteTracker.Handle second = writes.writing(1, "t/workflows/2", NOON, 5 * SECOND);
        second.failed("HTTP 503");
        writes.applied(0, 1, 1.0, SECOND);
        writes.applied(1, 1, 2.0, SECOND);

        assertThat(writes.done(10 * SECOND)).as("within the wait, and the failed one waits its turn").isEmpty();
        List<WriteArrivals> done = writes.done(11 * SECOND);
        assertThat(done).hasSize(2);
        assertThat(done.get(0).arrivals().get("api-3")).isEmpty();
        assertThat(done.get(0).arrivals().get("api-2")).hasValue(2.0);
        assertThat(done.get(1).failure()).isEqualTo(Optional.of("HTTP 503"));
        assertThat(writes.rest()).isEmpty();
    }
}
