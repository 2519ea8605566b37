package io.cachebus.loadtest.measure;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * One latency distribution, recorded from many threads without locks (an HdrHistogram {@link Recorder}) at
 * microsecond resolution with three significant digits, up to one minute; slower values are recorded as one
 * minute and counted in {@link #clamped()}.
 */
public final class LatencyStat {

    static final long HIGHEST_TRACKABLE_MICROS = TimeUnit.MINUTES.toMicros(1);
    private static final int SIGNIFICANT_DIGITS = 3;

    private final String name;
    private final Recorder recorder = new Recorder(HIGHEST_TRACKABLE_MICROS, SIGNIFICANT_DIGITS);
    private final Histogram accumulated = new Histogram(HIGHEST_TRACKABLE_MICROS, SIGNIFICANT_DIGITS);
    private final LongAdder clamped = new LongAdder();
    private Histogram interval;

    public LatencyStat(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    public void recordNanos(long nanos) {
        long micros = Math.max(0, TimeUnit.NANOSECONDS.toMicros(nanos));
        if (micros > HIGHEST_TRACKABLE_MICROS) {
            clamped.increment();
            micros = HIGHEST_TRACKABLE_MICROS;
        }
        recorder.recordValue(micros);
    }

    /** Everything recorded so far, as a copy (values in microseconds). */
    public synchronized Histogram snapshot() {
        interval = recorder.getIntervalHistogram(interval);
        accumulated.add(interval);
        return accumulated.copy();
    }

    /** How many values exceeded the trackable range and were recorded as its maximum. */
    public long clamped() {
        return clamped.sum();
    }

    /** The latency at {@code percentile} (0..100) of {@code histogram}, in milliseconds, or null when empty. */
    public static Double millisAt(Histogram histogram, double percentile) {
        if (histogram.getTotalCount() == 0) {
            return null;
        }
        return roundMillis(histogram.getValueAtPercentile(percentile));
    }

    /** The largest value of {@code histogram} in milliseconds, or null when empty. */
    public static Double maxMillis(Histogram histogram) {
        return histogram.getTotalCount() == 0 ? null : roundMillis(histogram.getMaxValue());
    }

    /** Microseconds as milliseconds with three decimals, the resolution the histogram keeps. */
    static double roundMillis(long micros) {
        return micros / 1000.0;
    }
}
