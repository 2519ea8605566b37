package io.cachebus.loadtest.measure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time of each thread of a process, from Linux's {@code /proc/PID/task/TID/stat}: taken twice, the difference says
 * where a process's CPU went between the two, thread by thread, whatever else ran on the machine. Threads are named
 * as the kernel knows them (a JVM gives the kernel the first 15 characters of a Java thread's name), with every run
 * of digits replaced by {@code N}, so a pool's threads add up under one name.
 */
public final class ThreadCpu {

    /** HotSpot's C1 and C2 compiler threads as the kernel names them (digits as {@code N}, 15 characters). */
    public static final String JIT_COMPILERS = "CN CompilerThre";

    /** CPU ticks per thread, by thread id, with each thread's kernel name. */
    public record Snapshot(long takenAtNanos, Map<Long, NamedTicks> threads) {
    }

    /** One thread's name and CPU ticks (user plus system) so far. */
    public record NamedTicks(String name, long ticks) {
    }

    private ThreadCpu() {
    }

    /** Every thread of {@code pid} now; a thread that ends while it is read is left out. */
    public static Snapshot take(long pid) {
        Map<Long, NamedTicks> threads = new HashMap<>();
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        try (DirectoryStream<Path> ids = Files.newDirectoryStream(tasks)) {
            for (Path task : ids) {
                try {
                    String line = Files.readString(task.resolve("stat"), StandardCharsets.US_ASCII);
                    threads.put(Long.parseLong(task.getFileName().toString()), parse(line));
                } catch (NoSuchFileException ended) {
                    // the thread ended between the listing and the read
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the threads of process " + pid, e);
        }
        return new Snapshot(System.nanoTime(), threads);
    }

    /**
     * Milliseconds of CPU per second of wall time between {@code before} and {@code after}, per thread name (pool
     * threads added up), highest first. A thread that started in between counts from zero; one that ended in between
     * is missing from both the list and the total.
     */
    public static Map<String, Double> millisPerSecond(Snapshot before, Snapshot after) {
        double seconds = (after.takenAtNanos() - before.takenAtNanos()) / 1e9;
        if (seconds <= 0) {
            throw new IllegalArgumentException("the second snapshot must be taken after the first");
        }
        Map<String, Double> byName = new LinkedHashMap<>();
        secondsByName(before, after).forEach((name, used) -> byName.put(name, used * 1000 / seconds));
        return byName;
    }

    /**
     * CPU seconds each thread name (pool threads added up) used between {@code before} and {@code after}, highest
     * first, those that used none left out. A thread that started in between counts from zero; one that ended in
     * between is missing.
     */
    public static Map<String, Double> secondsByName(Snapshot before, Snapshot after) {
        Map<String, Long> ticksByName = new HashMap<>();
        after.threads().forEach((id, now) -> {
            NamedTicks then = before.threads().get(id);
            long spent = now.ticks() - (then == null ? 0 : then.ticks());
            ticksByName.merge(now.name(), spent, Long::sum);
        });
        Map<String, Double> byName = new LinkedHashMap<>();
        ticksByName.entrySet().stream().filter(entry -> entry.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(entry -> byName.put(entry.getKey(), (double) entry.getValue() / ProcessCpu.TICKS_PER_SECOND));
        return byName;
    }

    /** One thread name's figures (CPU seconds, or milliseconds per write) added up over processes, by process. */
    public static double acrossProcesses(Map<String, Map<String, Double>> byProcess, String thread) {
        return byProcess.values().stream().mapToDouble(threads -> threads.getOrDefault(thread, 0.0)).sum();
    }

    /** A {@code /proc/PID/task/TID/stat} line: the thread's name (digits as {@code N}) and its user plus system ticks. */
    static NamedTicks parse(String statLine) {
        int nameStart = statLine.indexOf('(');
        int nameEnd = statLine.lastIndexOf(')');
        if (nameStart < 0 || nameEnd < nameStart) {
            throw new IllegalArgumentException("not a /proc stat line: " + statLine);
        }
        String name = statLine.substring(nameStart + 1, nameEnd).replaceAll("\\d+", "N");
        return new NamedTicks(name, Math.round(ProcessCpu.secondsOf(statLine) * ProcessCpu.TICKS_PER_SECOND));
    }
}
