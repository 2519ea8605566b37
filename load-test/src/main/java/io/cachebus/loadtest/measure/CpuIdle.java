package io.cachebus.loadtest.measure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How idle one CPU was over a short window, from Linux's {@code /proc/stat} ({@code cpuN} line: idle and iowait
 * ticks over all ticks). The read phase waits for the node under test's CPU to go quiet before each search: work
 * left over from the previous kind (a just-thawed twin's compiler threads, say) would otherwise be measured as the
 * next kind's latency.
 */
public final class CpuIdle {

    private static final Path PROC_STAT = Path.of("/proc/stat");
    /** user nice system idle iowait irq softirq steal: guest time is counted within user already. */
    private static final int FIELDS = 8;
    private static final int IDLE = 3;
    private static final int IOWAIT = 4;
    /** Two windows whose idle shares differ by at most this are steady: nothing is being worked off any more. */
    static final double STEADY = 0.05;

    private CpuIdle() {
    }

    /** Ticks of {@code cpu} so far: {idle, total}; empty where the system has no such CPU or no {@code /proc}. */
    static Optional<long[]> ticks(int cpu) {
        try {
            return ticks(Files.readString(PROC_STAT), cpu);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static Optional<long[]> ticks(String procStat, int cpu) {
        String prefix = "cpu" + cpu + " ";
        for (String line : procStat.split("\n")) {
            if (line.startsWith(prefix)) {
                String[] fields = line.substring(prefix.length()).strip().split("\\s+");
                long total = 0;
                for (int i = 0; i < Math.min(FIELDS, fields.length); i++) {
                    total += Long.parseLong(fields[i]);
                }
                return Optional.of(new long[] {Long.parseLong(fields[IDLE]) + Long.parseLong(fields[IOWAIT]), total});
            }
        }
        return Optional.empty();
    }

    /** The idle share of {@code cpu} between two readings of its ticks. */
    static double idleShare(long[] before, long[] after) {
        long total = after[1] - before[1];
        return total <= 0 ? 1 : (double) (after[0] - before[0]) / total;
    }

    /** Whether a window idle {@code share} after one idle {@code previousShare} (NaN: none) counts as quiet. */
    static boolean quiet(double share, double previousShare, double idleShare) {
        return share >= idleShare || Math.abs(share - previousShare) <= STEADY;
    }

    /**
     * Waits until {@code cpu} is quiet, for at most {@code maxWait}: idle at least {@code idleShare} of a
     * {@code window}, or idle as much as in the window before (within {@link #STEADY}), which is as quiet as it gets
     * with the background work of the processes that live there.
     *
     * @return how long it waited, or empty when the CPU did not go quiet within {@code maxWait} (or cannot be read)
     */
    public static Optional<Duration> awaitQuiet(int cpu, double idleShare, Duration window, Duration maxWait)
            throws InterruptedException {
        long started = System.nanoTime();
        long deadline = started + maxWait.toNanos();
        Optional<long[]> before = ticks(cpu);
        double previousShare = Double.NaN;
        while (before.isPresent()) {
            Thread.sleep(window.toMillis());
            Optional<long[]> after = ticks(cpu);
            if (after.isEmpty()) {
                return Optional.empty();
            }
            double share = idleShare(before.get(), after.get());
            if (quiet(share, previousShare, idleShare)) {
                return Optional.of(Duration.ofNanos(System.nanoTime() - started));
            }
            if (System.nanoTime() >= deadline) {
                return Optional.empty();
            }
            previousShare = share;
            before = after;
        }
        return Optional.empty();
    }
}
