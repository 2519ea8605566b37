package io.cachebus.loadtest.measure;

import io.cachebus.loadtest.measure.WriteLedger.Write;
import io.cachebus.loadtest.workload.EntityRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Judges every observed read against the {@link WriteLedger}: a read is <em>stale</em> when it returned data
 * older than a write that was acknowledged more than {@code bound} before the read began.
 *
 * <p>"Older" has to be certain while writes to one entity overlap, since overlapping writes may commit in either
 * order. Write {@code w} is certainly newer than write {@code s} when {@code w} was sent after {@code s} had been
 * acknowledged. A read shows a value; the write it shows is one of the writes of that value sent before the read
 * answered, and the harness assumes the most favourable one: the last acknowledged (any unacknowledged one may
 * have committed at any time, so then nothing is certain). With that write {@code s}, a read that began at
 * {@code t} is:
 * <ul>
 *   <li>{@link Status#STALE} when a write certainly newer than {@code s} was acknowledged before
 *       {@code t - bound} (strictly: one acknowledged exactly {@code bound} before the read is within it);</li>
 *   <li>{@link Status#SUPERSEDED_WITHIN_BOUND} when the earliest such write was acknowledged before {@code t} but
 *       within the bound: allowed, and counted, because that is the propagation the bound permits;</li>
 *   <li>{@link Status#CURRENT} otherwise;</li>
 *   <li>{@link Status#UNKNOWN_MARKER} when no write of that value was sent to that entity before the read
 *       answered: data the harness never wrote there, which would mean another entity's or tenant's data came
 *       back.</li>
 * </ul>
 * Workflow values are unique per write, so a read names its write exactly; a notification's value is only
 * read or unread, so fewer stale reads of notifications can be proven, and none is ever claimed falsely.
 * Reads are collected while the load runs and judged afterwards, when every acknowledgement is in the ledger.
 */
public final class StaleReadChecker {

    public enum Status { CURRENT, SUPERSEDED_WITHIN_BOUND, STALE, UNKNOWN_MARKER }

    /** The judgement of one read; {@code stalenessNanos} is how long the data had been superseded, else 0. */
    public record Verdict(Status status, long stalenessNanos) {
    }

    /** One read: which entity, the value it showed, when it was sent and when it answered. */
    public record ReadObservation(EntityRef entity, long value, long startNanos, long endNanos) {
    }

    /** The first stale reads, kept as examples for the report. */
    public record StaleExample(EntityRef entity, long value, double stalenessMs) {
    }

    /**
     * The judgement of all reads of a run; {@code stalenessesMs} how long the data of each read that showed superseded
     * data (within the bound or beyond it) had been superseded when the read began, for other bounds than the
     * checker's.
     */
    public record Summary(long checked, long current, long supersededWithinBound, long staleBeyondBound,
            long unknownMarker, double maxStalenessMsBeyondBound, List<StaleExample> examples,
            List<Double> stalenessesMs) {

        /** Reads whose data had been superseded for longer than {@code boundMs} when they began. */
        public long staleBeyond(long boundMs) {
            return stalenessesMs.stream().filter(ms -> ms > boundMs).count();
        }
    }

    private static final int MAX_EXAMPLES = 10;

    private final long boundNanos;
    private final ConcurrentLinkedQueue<ReadObservation> observations = new ConcurrentLinkedQueue<>();
    private final AtomicLong observed = new AtomicLong();

    public StaleReadChecker(long boundMillis) {
        if (boundMillis < 0) {
            throw new IllegalArgumentException("the bound must not be negative");
        }
        this.boundNanos = TimeUnit.MILLISECONDS.toNanos(boundMillis);
    }

    /** The rule itself, for one read against the writes of its entity. */
    public static Verdict judge(WriteHistory history, long value, long readStartNanos, long readEndNanos,
            long boundNanos) {
        long shownAck = history.latestAckOfValueSentBefore(value, readEndNanos);
        if (shownAck == WriteHistory.NO_SUCH_WRITE) {
            return new Verdict(Status.UNKNOWN_MARKER, 0);
        }
        if (shownAck == WriteLedger.UNACKNOWLEDGED) {
            return new Verdict(Status.CURRENT, 0);
        }
        long supersededAt = history.earliestAckOfWritesSentAfter(shownAck);
        if (supersededAt == WriteLedger.UNACKNOWLEDGED || supersededAt >= readStartNanos) {
            return new Verdict(Status.CURRENT, 0);
        }
        long staleness = readStartNanos - supersededAt;
        return new Verdict(staleness > boundNanos ? Status.STALE : Status.SUPERSEDED_WITHIN_BOUND, staleness);
    }

    /** Remembers a read for judgement at the end of the run. Called from HTTP threads. */
    public void observe(EntityRef entity, long value, long readStartNanos, long readEndNanos) {
        observations.add(new ReadObservation(entity, value, readStartNanos, readEndNanos));
        observed.incrementAndGet();
    }

    public long observed() {
        return observed.get();
    }

    /** Judges every read observed so far against {@code ledger}. */
    public Summary judgeAll(WriteLedger ledger) {
        Map<EntityRef, WriteHistory> histories = new HashMap<>();
        long current = 0;
        long withinBound = 0;
        long stale = 0;
        long unknown = 0;
        long maxStaleness = 0;
        List<StaleExample> examples = new ArrayList<>();
        List<Double> stalenesses = new ArrayList<>();
        for (ReadObservation read : observations) {
            WriteHistory history = histories.computeIfAbsent(read.entity(), ledger::history);
            Verdict verdict = judge(history, read.value(), read.startNanos(), read.endNanos(), boundNanos);
            switch (verdict.status()) {
                case CURRENT -> current++;
                case SUPERSEDED_WITHIN_BOUND -> {
                    withinBound++;
                    stalenesses.add(verdict.stalenessNanos() / 1e6);
                }
                case UNKNOWN_MARKER -> unknown++;
                case STALE -> {
                    stale++;
                    maxStaleness = Math.max(maxStaleness, verdict.stalenessNanos());
                    stalenesses.add(verdict.stalenessNanos() / 1e6);
                    if (examples.size() < MAX_EXAMPLES) {
                        examples.add(new StaleExample(read.entity(), read.value(), verdict.stalenessNanos() / 1e6));
                    }
                }
            }
        }
        return new Summary(current + withinBound + stale + unknown, current, withinBound, stale, unknown,
                maxStaleness / 1e6, List.copyOf(examples), List.copyOf(stalenesses));
    }
}
