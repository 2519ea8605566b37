package io.cachebus.client.internal.tiered;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ReadYourWritesMarkersTest {

    private final AtomicLong now = new AtomicLong();
    private final ReadYourWrites markers = new ReadYourWrites(Duration.ofSeconds(30), now::get);
    private final Scope workflows = Scope.ofDomain("t1", "workflows");
    private final Scope steps = new Scope("t1", "workflows", "steps");
    private final Scope notifications = Scope.ofDomain("t1", "notifications");

    @Test
    void aWriteMarksItsScopesUntilTheBroadcastNamingItsEventArrives() {
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        markers.markPending(first, List.of(workflows, steps));
        markers.markPending(second, List.of(workflows));

        assertThat(markers.anyPending(List.of(notifications, steps))).isTrue();
        markers.clear(List.of(first));
        assertThat(markers.isPending(steps)).isFalse();
        assertThat(markers.isPending(workflows)).as("the second write still waits").isTrue();
        markers.clear(List.of(second, UUID.randomUUID()));
        assertThat(markers.isPending(workflows)).isFalse();
        assertThat(markers.pending()).isZero();
    }

    @Test
    void aMarkerEndsAfterTheMaximumWaitWhenNoBroadcastComes() {
        markers.markPending(UUID.randomUUID(), List.of(workflows));
        now.addAndGet(Duration.ofSeconds(29).toNanos());
        assertThat(markers.isPending(workflows)).isTrue();

        now.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThat(markers.isPending(workflows)).isFalse();
        assertThat(markers.pending()).isZero();
    }
}
