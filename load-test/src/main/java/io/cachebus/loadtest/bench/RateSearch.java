package io.cachebus.loadtest.bench;

import io.cachebus.loadtest.measure.LatencyStat;
import io.cachebus.loadtest.profile.Profile;
import io.cachebus.loadtest.report.NodeReadFigures.RateStep;
import io.cachebus.loadtest.report.NodeReadFigures.SustainedRate;
import io.cachebus.loadtest.workload.NanoClock;
import io.cachebus.loadtest.workload.OpenLoopScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * The highest rate at which one kind of read keeps its p99 within a budget: open-loop steps at a fixed offered rate
 * each, latency taken from every request's intended send time (so a queue anywhere, the harness's own included,
 * shows as latency instead of a lower rate), the rate doubled while a step holds and then bisected between the last
 * that held and the first that did not (or, when the first step fails, halved until one holds and then bisected the
 * same way). A step holds when every read succeeded, none was left unanswered, and the
 * p99 is within the budget.
 */
final class RateSearch {

    /** Sends read number {@code sequence}; completes with whether it succeeded. */
    @FunctionalInterface
    interface Reader {
        CompletableFuture<Boolean> read(long sequence);
    }

    private final Profile.ReadThroughput settings;
    private final int maxInFlight;
    private final NanoClock clock;
    private final Consumer<RateStep> progress;

    RateSearch(Profile.ReadThroughput settings, int maxInFlight, NanoClock clock, Consumer<RateStep> progress) {
        this.settings = settings;
        this.maxInFlight = maxInFlight;
        this.clock = clock;
        this.progress = progress;
    }

    /** The search from the profile's start rate, doubling up to its maximum. */
    SustainedRate search(Reader reader) throws InterruptedException {
        return search(reader, settings.startRps(), Integer.MAX_VALUE);
    }

    /**
     * The search from {@link Profile.ReadThroughput#PROBE_START_SHARE} of a saturated rate {@link #probe} found
     * (never below the profile's start rate), with at most {@link Profile.ReadThroughput#PROBED_DOUBLINGS}.
     */
    SustainedRate searchFromProbe(Reader reader, double saturatedRps) throws InterruptedException {
        return search(reader, startAfterProbe(saturatedRps), Profile.ReadThroughput.PROBED_DOUBLINGS);
    }

    /** Where a search starts after a probe that completed {@code saturatedRps}. */
    double startAfterProbe(double saturatedRps) {
        double start = Math.floor(saturatedRps * Profile.ReadThroughput.PROBE_START_SHARE);
        return Math.min(settings.maxRps(), Math.max(settings.startRps(), start));
    }

    private SustainedRate search(Reader reader, double startRps, int maxDoublings) throws InterruptedException {
        List<RateStep> steps = new ArrayList<>();
        RateStep best = null;
        double failedRate = Double.NaN;
        double rate = startRps;
        for (int doublings = 0; ; doublings++) {
            RateStep step = step(reader, rate, steps);
            if (!step.held()) {
                failedRate = rate;
                break;
            }
            best = step;
            if (rate >= settings.maxRps() || doublings >= maxDoublings) {
                break;
            }
            rate = Math.min(rate * 2, settings.maxRps());
        }
        if (best == null) {
            // the start rate is already too much: come down until a rate holds, then bisect towards the failed one
            // as a search that went up does, so that no kind's figure is a plain halving while another's is bisected
            for (int i = 0; i < Profile.ReadThroughput.MAX_HALVINGS && best == null; i++) {
                double lower = failedRate / 2;
                RateStep step = step(reader, lower, steps);
                if (step.held()) {
                    best = step;
                } else {
                    failedRate = lower;
                }
            }
        }
        if (best != null && !Double.isNaN(failedRate)) {
            double held = best.offeredRps();
            for (int i = 0; i < settings.refinements(); i++) {
                double middle = (held + failedRate) / 2;
                RateStep step = step(reader, middle, steps);
                if (step.held()) {
                    best = step;
                    held = middle;
                } else {
                    failedRate = middle;
                }
            }
        }
        return new SustainedRate(best == null ? null : Rounding.tenths(best.achievedRps()),
                best == null ? null : best.p99Ms(), steps);
    }

    /** One offered rate for the step's duration; the step is recorded in {@code steps} and reported. */
    RateStep step(Reader reader, double rate, List<RateStep> steps) throws InterruptedException {
        RateStep step = run(reader, rate, settings.step());
        steps.add(step);
        progress.accept(step);
        return step;
    }

    /** Runs {@code rate} for {@code duration} without judging it (a warm-up). */
    void warmUp(Reader reader, double rate, Duration duration) throws InterruptedException {
        run(reader, rate, duration);
    }

    /**
     * Offers the profile's maximum rate for its probe's duration: the in-flight cap then holds the load closed, so
     * what completes per second is the reader's saturated rate. Not a figure (its latency measures the cap's queue):
     * where the search starts, and a warm-up. Repeated while a probe completes more than
     * {@link Profile.ReadThroughput#SETTLED_GAIN} over the one before (at most
     * {@link Profile.ReadThroughput#MAX_PROBES}): a node still compiling the path is not at its saturated rate yet.
     * The highest probe's rate.
     */
    double probe(Reader reader) throws InterruptedException {
        double highest = run(reader, settings.maxRps(), settings.probe(), true).achievedRps();
        for (int probes = 1; probes < Profile.ReadThroughput.MAX_PROBES; probes++) {
            double rps = run(reader, settings.maxRps(), settings.probe(), true).achievedRps();
            boolean settled = rps <= highest * (1 + Profile.ReadThroughput.SETTLED_GAIN);
            highest = Math.max(highest, rps);
            if (settled) {
                break;
            }
        }
        return highest;
    }

    private RateStep run(Reader reader, double rate, Duration duration) throws InterruptedException {
        return run(reader, rate, duration, false);
    }

    private RateStep run(Reader reader, double rate, Duration duration, boolean cutOff) throws InterruptedException {
        LatencyStat latency = new LatencyStat("reads");
        LongAdder succeeded = new LongAdder();
        LongAdder failed = new LongAdder();
        OpenLoopScheduler scheduler = new OpenLoopScheduler(rate, maxInFlight, clock);
        // a probe counts only what completed within its window, not the in-flight cap's worth drained after it
        long windowEnd = clock.nanoTime() + duration.toNanos();
        OpenLoopScheduler.Dispatcher dispatcher = (sequence, intended) -> reader.read(sequence)
                .whenComplete((ok, error) -> {
                    long now = clock.nanoTime();
                    latency.recordNanos(now - intended);
                    if (error == null && Boolean.TRUE.equals(ok)) {
                        if (!cutOff || now <= windowEnd) {
                            succeeded.increment();
                        }
                    } else {
                        failed.increment();
                    }
                });
        OpenLoopScheduler.Outcome outcome = cutOff
                ? scheduler.runNoLongerThan(duration, LoadDriver.DRAIN_TIMEOUT, dispatcher)
                : scheduler.run(duration, LoadDriver.DRAIN_TIMEOUT, dispatcher);
        Histogram histogram = latency.snapshot();
        Double p99 = LatencyStat.millisAt(histogram, 99);
        long errors = failed.sum() + outcome.dispatchFailures() + outcome.stillInFlight();
        boolean held = errors == 0 && p99 != null && p99 <= settings.p99Budget().toNanos() / 1e6;
        return new RateStep(Rounding.tenths(rate), Rounding.tenths(succeeded.sum() / (duration.toNanos() / 1e9)), p99,
                errors, held);
    }
}
