package io.cachebus.loadtest.bench;

import io.cachebus.loadtest.measure.ThreadCpu;
import io.cachebus.loadtest.report.HotDomainWarmup;
import java.time.Duration;
import java.util.Map;

/**
 * When a warm-up has done its job. The JIT compilers of the target's JVMs (HotSpot's C1 and C2 threads) take CPU from
 * every slice they still work in, and what they compile makes the later slices faster, so a figure taken while they
 * work measures a machine that is still changing: with 30 s of warm-up the hot-domain writes still rose by two thirds
 * from the first measured slice to the last. The warm-up therefore goes on in rounds, at least its least time, then
 * until the compilers' share of the CPU the target's processes used in a round is at most {@link #SETTLED_SHARE}, or
 * its limit has passed. Without thread figures (no {@code /proc}, a target given by URLs) nothing says they settled,
 * and the least time is all it waits. A round is a slice of each kind of port in the hot-domain writes, a warm-up
 * backlog in the invalidator's phase (where one backlog of 100,000 events left the compilers a quarter of the shared
 * CPU's time during the timed one).
 */
final class JitSettling {

    /** The compilers' share of the target's CPU in a round at which they count as settled. */
    static final double SETTLED_SHARE = 0.05;

    private final Duration least;
    private final Duration limit;
    private Duration done = Duration.ZERO;
    private int rounds;
    private double lastShare = Double.NaN;

    /**
     * @param least the warm-up's least time (of each kind of port)
     * @param limit how much longer it may go on while the compilers have not settled
     */
    JitSettling(Duration least, Duration limit) {
        this.least = least;
        this.limit = limit;
    }

    /** Whether another round is due. */
    boolean goOn() {
        if (rounds == 0) {
            return !least.isZero() || !limit.isZero();
        }
        if (done.compareTo(least) < 0) {
            return true;
        }
        return !Double.isNaN(lastShare) && !settled() && done.compareTo(least.plus(limit)) < 0;
    }

    /**
     * A round of {@code took} on each kind of port is over, in which the target's threads used
     * {@code threadCpuSeconds} (CPU seconds by process and thread name); returns the compilers' share of it, NaN
     * without thread figures.
     */
    double roundDone(Duration took, Map<String, Map<String, Double>> threadCpuSeconds) {
        done = done.plus(took);
        rounds++;
        lastShare = compilerShare(threadCpuSeconds);
        return lastShare;
    }

    boolean settled() {
        return lastShare <= SETTLED_SHARE;
    }

    int rounds() {
        return rounds;
    }

    /** The rounds' time so far (of each kind of port, where a round has two). */
    Duration done() {
        return done;
    }

    /** The compilers' share in the last round, to thousandths, for a report; {@code null} without thread figures. */
    Double reportedShare() {
        return Double.isNaN(lastShare) ? null : Rounding.thousandths(lastShare);
    }

    /** Whether the compilers settled, for a report; {@code null} when nothing could say (no thread figures). */
    Boolean reportedSettled() {
        return Double.isNaN(lastShare) ? null : settled();
    }

    /** What the warm-up did, for the report; {@code null} when there was none. */
    HotDomainWarmup report() {
        if (rounds == 0) {
            return null;
        }
        return new HotDomainWarmup(done.toMillis() / 1000.0, rounds, reportedShare(), reportedSettled(),
                SETTLED_SHARE);
    }

    /** The JIT compilers' threads' part of all the CPU in {@code threadCpuSeconds}; NaN when it holds none. */
    static double compilerShare(Map<String, Map<String, Double>> threadCpuSeconds) {
        double all = threadCpuSeconds.values().stream().flatMap(threads -> threads.values().stream())
                .mapToDouble(Double::doubleValue).sum();
        return all > 0 ? ThreadCpu.acrossProcesses(threadCpuSeconds, ThreadCpu.JIT_COMPILERS) / all : Double.NaN;
    }
}
