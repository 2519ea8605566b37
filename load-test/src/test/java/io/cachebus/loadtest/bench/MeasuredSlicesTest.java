package io.cachebus.loadtest.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.loadtest.measure.CacheLookups;
import io.cachebus.loadtest.measure.PrometheusSamples;
import io.cachebus.loadtest.report.BenchReport;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class MeasuredSlicesTest {

    private static Optional<List<PrometheusSamples>> scrape(double l1, double loader, double loads) {
        return Optional.of(List.of(PrometheusSamples.parse("""
                cachebus_cache_lookups_total{domain="workflows",tier="l1"} %s
                cachebus_cache_lookups_total{domain="workflows",tier="loader"} %s
                cachebus_cache_loads_total{domain="workflows"} %s
                """.formatted(l1, loader, loads))));
    }

    @Test
    void slicesTakeTurnsAbbaFromAProbedFirstOneAndTheFiguresComeFromTheOthers() {
        assertThat(IntStream.rangeClosed(1, 8).filter(slice -> MeasuredSlices.probes(slice, 8)))
                .as("a linear trend over the run weighs on both kinds alike").containsExactly(1, 4, 5, 8);
        assertThat(IntStream.rangeClosed(1, 6).filter(slice -> MeasuredSlices.countsFigures(slice, 6)))
                .containsExactly(2, 3, 6);
        assertThat(MeasuredSlices.probes(1, 1)).as("one slice: propagation needs its samples").isTrue();
        assertThat(MeasuredSlices.countsFigures(1, 1)).isTrue();
    }

    @Test
    void theFiguresAreTheUnprobedSlicesAndTheProbedOnesAreReportedBeside() {
        MeasuredSlices slices = new MeasuredSlices();
        slices.add(true, scrape(0, 0, 0), scrape(60, 40, 40), 100);
        slices.add(false, scrape(60, 40, 40), scrape(150, 50, 50), 100);

        assertThat(slices.countedReads()).isEqualTo(100);
        List<PrometheusSamples> counted = slices.counted().perNode().orElseThrow();
        assertThat(CacheLookups.sumOf(counted).hitRatio()).hasValue(0.9);
        assertThat(slices.detail(1)).isEqualTo(new BenchReport.CacheSlicesDetail("without the propagation probe",
                1, 1, 0.6, 0.4));
    }

    @Test
    void withoutAnUnprobedSliceTheProbedOnesAreCounted() {
        MeasuredSlices slices = new MeasuredSlices();
        slices.add(true, scrape(0, 0, 0), scrape(60, 40, 40), 100);

        assertThat(slices.countedReads()).isEqualTo(100);
        assertThat(slices.detail(1).counted()).isEqualTo("with the propagation probe");
    }

    @Test
    void theInvalidatorsAreCountedOverTheSameSlicesAsTheNodes() {
        MeasuredSlices slices = new MeasuredSlices();
        slices.add(true, scrape(0, 0, 0), scrape(60, 40, 40), 100);
        slices.addInvalidators(true, scrape(0, 0, 0), scrape(1, 1, 1));
        slices.add(false, scrape(60, 40, 40), scrape(150, 50, 50), 100);
        slices.addInvalidators(false, scrape(1, 1, 1), scrape(4, 3, 3));

        assertThat(CacheLookups.sumOf(slices.countedInvalidators().perNode().orElseThrow()).hitRatio())
                .as("3 of 5 over the unprobed slice").hasValue(0.6);
        assertThat(CacheLookups.sumOf(slices.probedInvalidators().perNode().orElseThrow()).hitRatio()).hasValue(0.5);
        assertThat(slices.countsUnprobed()).isTrue();
        assertThat(slices.probedSlices()).isOne();
    }
}
