package io.cachebus.client.internal.eviction;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.client.internal.eviction.CoverageTracker.Gap;
import io.cachebus.events.InvalidationProgress.PartitionProgress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The nodes' gap check (ADR 0016): per evictions partition, reports vouch only for reports read before them there. */
class CoverageTrackerTest {

    private final CoverageTracker tracker = new CoverageTracker(1_000);

    @Test
    void aReportVouchingForOneThisNodeNeverReadShowsSkippedRecords() {
        assertThat(tracker.read(0, List.of(new PartitionProgress(2, 10)))).isEmpty();
        assertThat(tracker.read(0, List.of(new PartitionProgress(2, 20, 10)))).as("10 was read").isEmpty();

        // the report through 30 is in partition 0 before this one, and this node never read it
        List<Gap> gaps = tracker.read(0, List.of(new PartitionProgress(2, 40, 30)));

        assertThat(gaps).containsExactly(new Gap(0, 2, 20, 30));
        assertThat(tracker.read(0, List.of(new PartitionProgress(2, 50, 40)))).as("read on from 40").isEmpty();
    }

    @Test
    void aNewHolderReCoveringOffsetsIsAnOverlapNotAGap() {
        tracker.read(0, List.of(new PartitionProgress(2, 40, 30)));

        // the next holder starts at the committed offset, below what the previous one reported
        assertThat(tracker.read(0, List.of(new PartitionProgress(2, 25)))).isEmpty();
        assertThat(tracker.read(0, List.of(new PartitionProgress(2, 35, 25)))).isEmpty();
        assertThat(tracker.read(0, List.of(new PartitionProgress(2, 60, 40)))).as("its own acknowledged reports")
                .isEmpty();
    }

    @Test
    void eachEvictionsPartitionAndMutationPartitionIsCheckedOnItsOwn() {
        tracker.read(0, List.of(new PartitionProgress(2, 40), new PartitionProgress(3, 40)));
        tracker.read(1, List.of(new PartitionProgress(2, 10), new PartitionProgress(3, 40)));

        List<Gap> gaps = tracker.read(1, List.of(new PartitionProgress(2, 50, 40), new PartitionProgress(3, 50, 40)));

        assertThat(gaps).as("read through 40 on partition 0, not on partition 1").containsExactly(new Gap(1, 2, 10, 40));
    }

    @Test
    void whatWasNotReadSinceTheAssignmentIsTakenAsItComes() {
        assertThat(tracker.read(0, List.of(new PartitionProgress(2, 40, 30)))).as("before the node's start").isEmpty();
        tracker.read(0, List.of(new PartitionProgress(2, 50, 40)));

        tracker.forgetAll();

        assertThat(tracker.read(0, List.of(new PartitionProgress(2, 90, 80)))).isEmpty();
    }

    @Test
    void trackingIsBoundedAndAGapIsStillSeenForATrackedPair() {
        for (int mutationPartition = 0; mutationPartition < 50_000; mutationPartition++) {
            assertThat(tracker.read(0, List.of(new PartitionProgress(mutationPartition, 5, 5)))).isEmpty();
        }

        assertThat(tracker.trackedPairs()).isLessThanOrEqualTo(1_000);
        tracker.read(7, List.of(new PartitionProgress(3, 20)));
        assertThat(tracker.read(7, List.of(new PartitionProgress(3, 50, 30)))).hasSize(1);
    }
}
