package io.cachebus.loadtest.measure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;

/**
 * CPU time a process has used (user plus system, all its threads), from Linux's {@code /proc/PID/stat}. Read
 * before and after a measurement, the difference is what the process spent on it, whatever else ran on the machine.
 */
public final class ProcessCpu {

    /**
     * Clock ticks per second of {@code utime} and {@code stime}: {@code sysconf(_SC_CLK_TCK)}, which Linux fixes at
     * 100 on every architecture the JVM runs on (USER_HZ), whatever the kernel's own tick rate.
     */
    static final double TICKS_PER_SECOND = 100;
    /** Fields 14 and 15 of the line, counted from 1; after the command name, they are the 12th and 13th. */
    private static final int UTIME_AFTER_COMMAND = 11;
    private static final int STIME_AFTER_COMMAND = 12;

    private ProcessCpu() {
    }

    /** CPU seconds {@code pid} has used so far; empty when it is gone or the system has no {@code /proc}. */
    public static OptionalDouble seconds(long pid) {
        try {
            return OptionalDouble.of(secondsOf(Files.readString(Path.of("/proc", Long.toString(pid), "stat"),
                    StandardCharsets.US_ASCII)));
        } catch (IOException | RuntimeException e) {
            return OptionalDouble.empty();
        }
    }

    /** User plus system CPU seconds of one {@code /proc/PID/stat} line. */
    static double secondsOf(String statLine) {
        // the command name, in parentheses, may hold spaces and parentheses itself: count from the last ')'
        int commandEnd = statLine.lastIndexOf(')');
        if (commandEnd < 0) {
            throw new IllegalArgumentException("not a /proc/PID/stat line: " + statLine);
        }
        String[] fields = statLine.substring(commandEnd + 1).strip().split("\\s+");
        if (fields.length <= STIME_AFTER_COMMAND) {
            throw new IllegalArgumentException("too few fields in /proc/PID/stat line: " + statLine);
        }
        long ticks = Long.parseLong(fields[UTIME_AFTER_COMMAND]) + Long.parseLong(fields[STIME_AFTER_COMMAND]);
        return ticks / TICKS_PER_SECOND;
    }
}
