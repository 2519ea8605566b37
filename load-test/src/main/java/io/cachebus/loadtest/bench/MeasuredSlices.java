package io.cachebus.loadtest.bench;

import io.cachebus.loadtest.measure.CacheLookups;
import io.cachebus.loadtest.measure.DatabaseReads;
import io.cachebus.loadtest.measure.PrometheusSamples;
import io.cachebus.loadtest.measure.WindowCounters;
import io.cachebus.loadtest.report.BenchReport;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Which measured slices of the mixed load run the propagation probe, and the counters scraped around them, kept apart
 * by kind. The probe polls every node for each sampled write the moment it is acknowledged: on the writing
 * node a read of its own write goes past L2 to the database until the invalidation is back (read-your-writes), and
 * the other nodes poll at once when the eviction arrives, so several miss L2 together. Those are the harness's reads,
 * not the workload's, so the hit ratio and the database queries per read are taken over the slices without it; the
 * probed slices' figures are reported beside them. The kinds take turns as probed, unprobed, unprobed, probed, and so
 * on (ABBA), so that both meet the same machine and a trend over the run (the JIT compiler, a machine that warms up
 * or slows down) falls on both alike: in strict alternation the probed slice came first in every pair, and the
 * baseline's cumulative p99 fell by a quarter over one run. A load of one slice is probed
 * (propagation needs its samples) and its figures are the probed ones.
 *
 * <p>The invalidators' counters are kept the same way: their timer of the propagation's first stretch is taken over
 * the same slices as the nodes' timers of the whole and of its last stretch, so that the stretches belong together.
 */
final class MeasuredSlices {

    private final WindowCounters probed = new WindowCounters();
    private final WindowCounters unprobed = new WindowCounters();
    private final WindowCounters probedInvalidators = new WindowCounters();
    private final WindowCounters unprobedInvalidators = new WindowCounters();
    private int probedSlices;
    private int unprobedSlices;
    private long probedReads;
    private long unprobedReads;

    /** Whether slice {@code slice} (from 1) of {@code slices} runs the propagation probe: the first and fourth of four. */
    static boolean probes(int slice, int slices) {
        return slices == 1 || slice % 4 == 1 || slice % 4 == 0;
    }

    /** Whether slice {@code slice} (from 1) of {@code slices} is one the figures are taken over. */
    static boolean countsFigures(int slice, int slices) {
        return slices == 1 || !probes(slice, slices);
    }

    void add(boolean withProbe, Optional<List<PrometheusSamples>> start, Optional<List<PrometheusSamples>> end,
            long reads) {
        if (withProbe) {
            probed.add(start, end);
            probedSlices++;
            probedReads += reads;
        } else {
            unprobed.add(start, end);
            unprobedSlices++;
            unprobedReads += reads;
        }
    }

    /** The invalidators' counters over one slice, taken as {@link #add} took the nodes'. */
    void addInvalidators(boolean withProbe, Optional<List<PrometheusSamples>> start,
            Optional<List<PrometheusSamples>> end) {
        (withProbe ? probedInvalidators : unprobedInvalidators).add(start, end);
    }

    /** Whether the figures are taken over slices without the probe (there was one), the probed ones reported beside. */
    boolean countsUnprobed() {
        return unprobedSlices > 0;
    }

    int probedSlices() {
        return probedSlices;
    }

    /** The counters the figures are taken from: the slices without the probe, or the probed ones if none was. */
    WindowCounters counted() {
        return countsUnprobed() ? unprobed : probed;
    }

    /** The invalidators' counters over the slices of {@link #counted()}. */
    WindowCounters countedInvalidators() {
        return countsUnprobed() ? unprobedInvalidators : probedInvalidators;
    }

    /** The nodes' counters over the slices with the probe. */
    WindowCounters probed() {
        return probed;
    }

    /** The invalidators' counters over the slices with the probe. */
    WindowCounters probedInvalidators() {
        return probedInvalidators;
    }

    /** The reads the harness completed in the slices of {@link #counted()}. */
    long countedReads() {
        return countsUnprobed() ? unprobedReads : probedReads;
    }

    BenchReport.CacheSlicesDetail detail(int nodes) {
        Optional<List<PrometheusSamples>> withProbe = probed.perNode();
        Double hitRatio = withProbe.flatMap(counters -> box(CacheLookups.sumOf(counters).hitRatio())).orElse(null);
        Double loadsPerRead = withProbe.flatMap(counters -> box(
                loadsPerRead(WindowCounters.zeros(nodes), counters, probedReads))).orElse(null);
        return new BenchReport.CacheSlicesDetail(countsUnprobed() ? "without the propagation probe"
                : "with the propagation probe", unprobedSlices, probedSlices,
                hitRatio == null ? null : Rounding.thousandths(hitRatio),
                loadsPerRead == null ? null : Rounding.thousandths(loadsPerRead));
    }

    /** The nodes' cache loader runs from {@code before} to {@code after} over {@code reads}; empty without reads. */
    static OptionalDouble loadsPerRead(List<PrometheusSamples> before, List<PrometheusSamples> after, long reads) {
        if (reads == 0) {
            return OptionalDouble.empty();
        }
        double loads = 0;
        for (int i = 0; i < after.size(); i++) {
            loads += DatabaseReads.of(after.get(i)).since(DatabaseReads.of(before.get(i))).loads();
        }
        return OptionalDouble.of(loads / reads);
    }

    private static Optional<Double> box(OptionalDouble value) {
        return value.isPresent() ? Optional.of(value.getAsDouble()) : Optional.empty();
    }
}
