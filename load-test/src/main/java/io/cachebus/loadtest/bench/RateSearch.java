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
 * that held and the first that did not. A step holds when every read succeeded, none was left unanswered, and the
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

    SustainedRate search(Reader reader) throws InterruptedException {
        List<RateStep> steps = new ArrayList<>();
        RateStep best = null;
        double failedRate = Double.NaN;
        double rate = settings.startRps();
        while (true) {
            RateStep step = step(reader, rate, steps);
            if (!step.held()) {
                failedRate = rate;
                break;
            }
            best = step;
            if (rate >= settings.maxRps()) {
                break;
            }
            rate = Math.min(rate * 2, settings.maxRps());
        }
        if (best == null) {
            // the start rate is already too much: come down until a rate holds
            for (int i = 0; i < settings.refinements() && best == null; i++) {
                failedRate /= 2;
                RateStep step = step(reader, failedRate, steps);
                best = step.held() ? step : null;
            }
        } else if (!Double.isNaN(failedRate)) {
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

    private RateStep run(Reader reader, double rate, Duration duration) throws InterruptedException {
        LatencyStat latency = new LatencyStat("reads");
        LongAdder succeeded = new LongAdder();
        LongAdder failed = new LongAdder();
        OpenLoopScheduler scheduler = new OpenLoopScheduler(rate, maxInFlight, clock);
        OpenLoopScheduler.Outcome outcome = scheduler.run(duration, LoadDriver.DRAIN_TIMEOUT,
                (sequence, intended) -> reader.read(sequence).whenComplete((ok, error) -> {
                    latency.recordNanos(clock.nanoTime() - intended);
                    if (error == null && Boolean.TRUE.equals(ok)) {
                        succeeded.increment();
                    } else {
                        failed.increment();
                    }
                }));
        Histogram histogram = latency.snapshot();
        Double p99 = LatencyStat.millisAt(histogram, 99);
        long errors = failed.sum() + outcome.dispatchFailures() + outcome.stillInFlight();
        boolean held = errors == 0 && p99 != null && p99 <= settings.p99Budget().toNanos() / 1e6;
        return new RateStep(Rounding.tenths(rate), Rounding.tenths(succeeded.sum() / (duration.toNanos() / 1e9)), p99,
                errors, held);
    }
}
