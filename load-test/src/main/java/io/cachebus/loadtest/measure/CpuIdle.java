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

    /**
     * Waits until {@code cpu} was idle at least {@code idleShare} of a {@code window}, for at most {@code maxWait}.
     *
     * @return how long it waited, or empty when the CPU did not go quiet within {@code maxWait} (or cannot be read)
     */
    public static Optional<Duration> awaitQuiet(int cpu, double idleShare, Duration window, Duration maxWait)
            throws InterruptedException {
        long started = System.nanoTime();
        long deadline = started + maxWait.toNanos();
        Optional<long[]> before = ticks(cpu);
        while (before.isPresent()) {
            Thread.sleep(window.toMillis());
            Optional<long[]> after = ticks(cpu);
            if (after.isEmpty()) {
                return Optional.empty();
            }
            if (idleShare(before.get(), after.get()) >= idleShare) {
                return Optional.of(Duration.ofNanos(System.nanoTime() - started));
            }
            if (System.nanoTime() >= deadline) {
                return Optional.empty();
            }
            before = after;
        }
        return Optional.empty();
    }
}
