package io.cachebus.loadtest.report;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The one-line progress display while a phase runs: requests and rate since the line started, p99 and errors so
 * far (a phase may run in several slices, each with its own line, recording into the same figures). On a
 * terminal the line is rewritten in place every second; when the output is a file or a pipe a full line is
 * printed every few seconds instead, so logs stay readable.
 */
public final class ProgressLine implements AutoCloseable {

    /** What the line shows, read once per refresh. */
    public record Snapshot(long requests, long errors, Double p99Millis) {
    }

    private static final long PIPE_EVERY_SECONDS = 5;

    private final PrintStream out;
    private final boolean terminal;
    private final String phase;
    private final Supplier<Snapshot> source;
    private final long startNanos = System.nanoTime();
    private final long requestsBefore;
    private final ScheduledExecutorService ticker;
    private int lastLength;
    private long ticks;

    private ProgressLine(PrintStream out, boolean terminal, String phase, Supplier<Snapshot> source) {
        this.out = out;
        this.terminal = terminal;
        this.phase = phase;
        this.source = source;
        this.requestsBefore = source.get().requests();
        this.ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "lt-progress");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts refreshing the line for {@code phase} on {@code out}. */
    public static ProgressLine start(PrintStream out, String phase, Supplier<Snapshot> source) {
        ProgressLine line = new ProgressLine(out, System.console() != null, phase, source);
        line.ticker.scheduleAtFixedRate(line::refresh, 1, 1, TimeUnit.SECONDS);
        return line;
    }

    /**
     * The text of the line for a snapshot taken {@code elapsedSeconds} after the line started, when
     * {@code requestsBefore} requests had been counted.
     */
    public static String format(String phase, double elapsedSeconds, long requestsBefore, Snapshot snapshot) {
        long requests = snapshot.requests() - requestsBefore;
        double rate = elapsedSeconds > 0 ? requests / elapsedSeconds : 0;
        return String.format(Locale.ROOT, "[%s] %5.1fs  requests %,d  %,.0f req/s  p99 %s  errors %,d", phase,
                elapsedSeconds, requests, rate,
                snapshot.p99Millis() == null ? "-" : String.format(Locale.ROOT, "%.2f ms", snapshot.p99Millis()),
                snapshot.errors());
    }

    private synchronized void refresh() {
        ticks++;
        if (!terminal && ticks % PIPE_EVERY_SECONDS != 0) {
            return;
        }
        print(false);
    }

    private void print(boolean last) {
        String text = format(phase, (System.nanoTime() - startNanos) / 1e9, requestsBefore, source.get());
        if (terminal) {
            String padding = " ".repeat(Math.max(0, lastLength - text.length()));
            out.print("\r" + text + padding + (last ? "\n" : ""));
            lastLength = text.length();
        } else {
            out.println(text);
        }
        out.flush();
    }

    /** Stops refreshing and prints the final state of the line. */
    @Override
    public synchronized void close() {
        ticker.shutdownNow();
        print(true);
    }
}
