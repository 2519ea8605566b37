package io.cachebus.loadtest.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProgressLineTest {

    @Test
    void showsRequestsRateP99AndErrors() {
        assertThat(ProgressLine.format("load", 10.0, 0, new ProgressLine.Snapshot(3_000, 2, 4.25)))
                .isEqualTo("[load]  10.0s  requests 3,000  300 req/s  p99 4.25 ms  errors 2");
        assertThat(ProgressLine.format("warm-up", 0, 0, new ProgressLine.Snapshot(0, 0, null)))
                .isEqualTo("[warm-up]   0.0s  requests 0  0 req/s  p99 -  errors 0");
    }

    @Test
    void aLaterSliceCountsItsOwnRequestsButTheFiguresSoFar() {
        assertThat(ProgressLine.format("load 2/5", 5.0, 1_500, new ProgressLine.Snapshot(3_000, 2, 4.25)))
                .isEqualTo("[load 2/5]   5.0s  requests 1,500  300 req/s  p99 4.25 ms  errors 2");
    }
}
