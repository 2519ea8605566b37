package io.cachebus.loadtest.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ZipfKeySamplerTest {

    private static final int DRAWS = 200_000;

    private static long[] histogram(ZipfKeySampler sampler, int draws) {
        long[] counts = new long[sampler.keys()];
        for (int i = 0; i < draws; i++) {
            counts[sampler.nextRank()]++;
        }
        return counts;
    }

    @Test
    void frequenciesFollowTheZipfLawForExponentOne() {
        ZipfKeySampler sampler = new ZipfKeySampler(1_000, 1.0, 42);
        long[] counts = histogram(sampler, DRAWS);

        double harmonic = IntStream.rangeClosed(1, 1_000).mapToDouble(k -> 1.0 / k).sum();
        assertThat(sampler.probability(0)).isCloseTo(1 / harmonic, within(1e-9));
        // the hottest key gets ~13.4% of draws; rank k gets 1/(k+1) of the hottest's share
        assertThat(counts[0] / (double) DRAWS).isCloseTo(1 / harmonic, within(0.005));
        assertThat(counts[0] / (double) counts[1]).isCloseTo(2.0, within(0.1));
        assertThat(counts[0] / (double) counts[9]).isCloseTo(10.0, within(1.0));
        assertThat(new long[] {counts[0], counts[1], counts[3], counts[7], counts[15], counts[63], counts[255]})
                .isSortedAccordingTo((a, b) -> Long.compare(b, a));
    }

    @Test
    void aHigherExponentIsMoreSkewed() {
        long[] mild = histogram(new ZipfKeySampler(1_000, 0.8, 7), DRAWS);
        long[] steep = histogram(new ZipfKeySampler(1_000, 1.4, 7), DRAWS);
        long topTenMild = IntStream.range(0, 10).mapToLong(i -> mild[i]).sum();
        long topTenSteep = IntStream.range(0, 10).mapToLong(i -> steep[i]).sum();
        assertThat(topTenSteep).isGreaterThan(2 * topTenMild);
    }

    @Test
    void exponentZeroIsUniform() {
        ZipfKeySampler sampler = new ZipfKeySampler(10, 0.0, 3);
        long[] counts = histogram(sampler, DRAWS);
        for (long count : counts) {
            assertThat(count / (double) DRAWS).isCloseTo(0.1, within(0.005));
        }
    }

    @Test
    void everyRankIsInRangeAndTheSeedReplaysTheSequence() {
        ZipfKeySampler first = new ZipfKeySampler(50, 1.1, 99);
        ZipfKeySampler second = new ZipfKeySampler(50, 1.1, 99);
        for (int i = 0; i < 10_000; i++) {
            int rank = first.nextRank();
            assertThat(rank).isBetween(0, 49);
            assertThat(second.nextRank()).isEqualTo(rank);
        }
    }

    @Test
    void aSingleKeyIsAlwaysDrawn() {
        ZipfKeySampler sampler = new ZipfKeySampler(1, 1.0, 1);
        assertThat(IntStream.range(0, 100).map(i -> sampler.nextRank()).distinct()).containsExactly(0);
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> new ZipfKeySampler(0, 1.0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ZipfKeySampler(10, -0.5, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ZipfKeySampler(10, Double.NaN, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
