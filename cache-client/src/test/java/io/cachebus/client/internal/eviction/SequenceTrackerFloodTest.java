package io.cachebus.client.internal.eviction;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.events.CacheKeys;
import org.junit.jupiter.api.Test;

/** Broadcasts for a flood of distinct tenants: sequence tracking keeps at most its maximum of scopes. */
class SequenceTrackerFloodTest {

    @Test
    void trackingIsBoundedAndAGapIsStillSeenForATrackedScope() {
        SequenceTracker tracker = new SequenceTracker(1_000);

        for (int i = 0; i < 50_000; i++) {
            assertThat(tracker.record(CacheKeys.recordKey("flood-" + i, "workflows"), 1, 1)).isZero();
        }

        assertThat(tracker.trackedScopes()).isLessThanOrEqualTo(1_000);
        String recent = CacheKeys.recordKey("recent", "workflows");
        tracker.record(recent, 1, 3);
        assertThat(tracker.record(recent, 6, 6)).as("sequences 4 and 5 missed").isEqualTo(2);
    }
}
