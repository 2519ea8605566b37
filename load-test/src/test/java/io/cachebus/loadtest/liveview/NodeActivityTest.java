package io.cachebus.loadtest.liveview;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class NodeActivityTest {

    private static final long SECOND = 1_000_000_000L;

    private static NodeSample sample(double requests, double l1Hits, double misses, double evictions,
            double timed, double timedSeconds) {
        return new NodeSample(requests, l1Hits, 0, misses, Optional.of(4.0), evictions, timed, timedSeconds,
                Optional.of("closed"), 1);
    }

    @Test
    void countsStartAtTheFirstSampleAndTheDelayIsTheTimersGrowthOverItsCount() {
        NodeActivity node = new NodeActivity("api-2");
        assertThat(node.record(Optional.of(sample(100, 50, 10, 7, 7, 0.7)), 0)).isEmpty();

        assertThat(node.record(Optional.of(sample(103, 52, 11, 9, 9, 0.708)), 2 * SECOND)).hasValueSatisfying(
                applied -> {
                    assertThat(applied.broadcasts()).isEqualTo(2);
                    assertThat(applied.meanMillis()).isCloseTo(4.0, org.assertj.core.data.Offset.offset(1e-9));
                });
        NodeRow row = node.row();
        assertThat(row.requestsPerSecond()).isEqualTo(1.5);
        assertThat(row.l1Hits()).isEqualTo(2);
        assertThat(row.misses()).isEqualTo(1);
        assertThat(row.hitRatio()).hasValue(2.0 / 3);
        assertThat(row.evictionsApplied()).isEqualTo(2);
        assertThat(row.lastEvictionMillis()).isPresent();

        assertThat(node.record(Optional.empty(), 3 * SECOND)).isEmpty();
        assertThat(node.row().answering()).isFalse();
        assertThat(node.row().lastEvictionMillis()).as("the last delay stays until the next eviction").isPresent();
    }

    @Test
    void aRestartedNodeIsCountedFromItsFirstSampleAfterTheRestart() {
        NodeActivity node = new NodeActivity("api-1");
        node.record(Optional.of(sample(100, 50, 10, 7, 7, 0.7)), 0);
        assertThat(node.record(Optional.of(sample(2, 1, 1, 0, 0, 0)), SECOND)).isEmpty();
        node.record(Optional.of(sample(4, 2, 1, 1, 1, 0.003)), 2 * SECOND);

        assertThat(node.row().l1Hits()).isEqualTo(1);
        assertThat(node.row().evictionsApplied()).isEqualTo(1);
    }
}
