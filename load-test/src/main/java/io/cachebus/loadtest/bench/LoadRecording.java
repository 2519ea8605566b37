package io.cachebus.loadtest.bench;

import io.cachebus.loadtest.measure.LatencyStat;
import io.cachebus.loadtest.measure.PropagationProbe;
import io.cachebus.loadtest.measure.StaleReadChecker;
import io.cachebus.loadtest.report.ProgressLine;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one run of the load records: latencies of reads and writes (and of everything, for the progress line),
 * request and error counts, and optionally the reads to judge for staleness and the writes to probe for
 * propagation. A warm-up records into a throw-away instance.
 */
final class LoadRecording {

    private static final int MAX_ERROR_EXAMPLES = 5;

    final LatencyStat reads;
    final LatencyStat writes;
    final LatencyStat all = new LatencyStat("all");
    final LongAdder readCount = new LongAdder();
    final LongAdder writeCount = new LongAdder();
    final LongAdder errors = new LongAdder();
    private final Queue<String> firstErrors = new ConcurrentLinkedQueue<>();
    /** Null when reads are not judged. */
    final StaleReadChecker staleReads;
    /** Null when no write is probed. */
    final PropagationProbe propagation;

    LoadRecording(String readSeries, String writeSeries, StaleReadChecker staleReads, PropagationProbe propagation) {
        this.reads = new LatencyStat(readSeries);
        this.writes = new LatencyStat(writeSeries);
        this.staleReads = staleReads;
        this.propagation = propagation;
    }

    static LoadRecording discarded() {
        return new LoadRecording("warm-up reads", "warm-up writes", null, null);
    }

    /** Counts an error and keeps the first few descriptions for the console. */
    void error(String description) {
        errors.increment();
        if (firstErrors.size() < MAX_ERROR_EXAMPLES) {
            firstErrors.add(description);
        }
    }

    List<String> firstErrors() {
        return List.copyOf(firstErrors);
    }

    ProgressLine.Snapshot progress() {
        return new ProgressLine.Snapshot(readCount.sum() + writeCount.sum() + errors.sum(), errors.sum(),
                LatencyStat.millisAt(all.snapshot(), 99));
    }
}
