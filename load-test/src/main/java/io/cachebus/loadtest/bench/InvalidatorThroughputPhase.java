package io.cachebus.loadtest.bench;

import io.cachebus.loadtest.deployment.ClusterTarget;
import io.cachebus.loadtest.deployment.InvalidatorControl;
import io.cachebus.loadtest.invalidation.InvalidatorScalingProbe;
import io.cachebus.loadtest.invalidation.InvalidatorThroughputProbe;
import io.cachebus.loadtest.profile.Profile;
import io.cachebus.loadtest.report.BenchReport;
import io.cachebus.loadtest.report.NodeReadFigures.ProcessPlacement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Events per second one invalidator works off a backlog, and how far it coalesces them; with the profile's
 * {@code scaling}, also how the throughput grows from one instance to every instance of the group.
 */
final class InvalidatorThroughputPhase implements BenchPhase {

    private static final String SCALING = BenchReport.INVALIDATOR_SCALING;
    private static final int BACKLOG_GROWTHS = 2;
    /** Where the processes ran while one instance worked off the backlog, when the target isolated it. */
    static final String PLACEMENT = "invalidator_throughput_placement";
    /**
     * Milliseconds of CPU per 1,000 events each process of the target spent while the instance worked the (last)
     * backlog off, from its release until it had committed all of it: what else the instance waited for.
     */
    static final String CPU = "invalidator_cpu_ms_per_1000_events";
    /**
     * Events per second of the warm-up backlog (the profile's {@code warmupEvents}), worked off before the timed one by
     * JVMs that had not run a backlog yet: how far the figure owes to what they compiled meanwhile.
     */
    static final String WARMUP = "invalidator_warmup_events_per_s";
    /**
     * How the warm-up ended: its backlogs, their time, the JIT compilers' share of the target's CPU during the last
     * one and whether that was at most {@link JitSettling#SETTLED_SHARE}.
     */
    static final String WARMUP_SETTLING = "invalidator_warmup";
    /**
     * The same window's CPU per 1,000 events by process and thread ({@link #CPU} says only how much each process
     * spent): which of a process's threads did it, the JIT compilers and the garbage collector among them.
     */
    static final String THREAD_CPU = "invalidator_thread_cpu_ms_per_1000_events";
    /** A thread below this many milliseconds per 1,000 events adds to its process's other threads. */
    private static final double THREAD_FOLDED_BELOW_MS = 0.1;
    /** How many of the busiest threads the console names. */
    private static final int THREADS_NAMED = 8;

    private final RunContext run;

    /**
     * One backlog worked off, each process's CPU per 1,000 of its events meanwhile ({@link #CPU}), and each thread's,
     * in CPU seconds and per 1,000 events ({@link #THREAD_CPU}).
     */
    private record Measured(InvalidatorThroughputProbe.Result result, Map<String, Double> cpuPerThousandEvents,
            Map<String, Map<String, Double>> threadCpuSeconds,
            Map<String, Map<String, Double>> threadCpuPerThousandEvents) {
    }

    InvalidatorThroughputPhase(RunContext run) {
        this.run = run;
    }

    @Override
    public List<String> figures() {
        return run.profile.invalidator().scaling() ? List.of("invalidator_events_per_s", SCALING)
                : List.of("invalidator_events_per_s");
    }

    @Override
    public void run(ResultSheet sheet) {
        Optional<String> kafka = run.target.kafkaBootstrapServers();
        if (kafka.isEmpty()) {
            figures().forEach(figure -> sheet.notMeasured(figure, "the harness has no access to the target's Kafka "
                    + "(for a deployment given by URLs: --kafka-bootstrap)"));
            return;
        }
        Profile.InvalidatorThroughput settings = run.profile.invalidator();
        singleInstance(sheet, kafka.get(), settings);
        if (settings.scaling()) {
            scaling(sheet, kafka.get(), settings);
        }
    }

    /**
     * A machine faster than the profile expects can work the whole backlog off between two looks at the group's
     * offsets, which leaves nothing to time; the backlog then grows fourfold, as often as {@link #BACKLOG_GROWTHS},
     * the way a benchmark calibrates its iterations rather than reporting a window it did not see.
     */
    private void singleInstance(ResultSheet sheet, String kafka, Profile.InvalidatorThroughput settings) {
        // one instance on a core of its own: what one instance does per core, not what it gets of a shared machine
        Optional<ClusterTarget.Isolation> isolation = run.target.isolateFirstInvalidator();
        try {
            isolation.ifPresent(placement -> {
                run.console.println("   placement: " + placement.description());
                sheet.extensions.put(PLACEMENT, placement.description());
            });
            measureSingleInstance(sheet, kafka, settings);
        } finally {
            isolation.ifPresent(ClusterTarget.Isolation::close);
        }
    }

    private void measureSingleInstance(ResultSheet sheet, String kafka, Profile.InvalidatorThroughput settings) {
        InvalidatorThroughputProbe probe = new InvalidatorThroughputProbe(kafka, run.target.invalidators());
        if (settings.warmupEvents() > 0) {
            warmUp(sheet, probe, settings);
        }
        int events = settings.events();
        Measured measured = measure(probe, InvalidatorThroughputProbe.newTenantPrefix(), events, settings);
        for (int growth = 0; growth < BACKLOG_GROWTHS && Double.isNaN(measured.result().eventsPerSecond())
                && measured.result().backlogFirst(); growth++) {
            events *= 4;
            run.console.printf("   worked off within one commit: too short to time; again on %,d events%n", events);
            measured = measure(probe, InvalidatorThroughputProbe.newTenantPrefix(), events, settings);
        }
        InvalidatorThroughputProbe.Result result = measured.result();
        sheet.coalescingRatio = result.coalescingRatio();
        if (!measured.cpuPerThousandEvents().isEmpty()) {
            sheet.extensions.put(CPU, measured.cpuPerThousandEvents());
            run.console.println("   CPU ms per 1,000 events: " + measured.cpuPerThousandEvents());
        }
        if (!measured.threadCpuPerThousandEvents().isEmpty()) {
            sheet.extensions.put(THREAD_CPU, measured.threadCpuPerThousandEvents());
            run.console.println("   busiest threads, CPU ms per 1,000 events: "
                    + busiest(measured.threadCpuPerThousandEvents()));
        }
        if (Double.isNaN(result.eventsPerSecond())) {
            sheet.notMeasured("invalidator_events_per_s", "the backlog of " + events + " events was worked off in "
                    + "one commit (or one poll of broadcasts): too few events to time; raise the profile's event "
                    + "count");
            return;
        }
        sheet.invalidatorEventsPerS = result.eventsPerSecond();
        if (!result.backlogFirst()) {
            sheet.notMeasured("invalidator_events_per_s (single instance)", "the target gives no control over its "
                    + "invalidators: the figure is the whole group's while the harness produced, a lower bound");
        }
    }

    /**
     * Backlogs of the profile's warm-up size, untimed, one after another until the JIT compilers of the target's JVMs
     * took at most {@link JitSettling#SETTLED_SHARE} of its CPU while one was worked off, or the warm-up's limit
     * passed: the timed backlog then meets compiled code, as a long-running deployment's would.
     */
    private void warmUp(ResultSheet sheet, InvalidatorThroughputProbe probe, Profile.InvalidatorThroughput settings) {
        run.console.println("   warm-up, not timed in the figure, until the JIT compilers have settled:");
        JitSettling settling = new JitSettling(Duration.ZERO, settings.warmupLimit());
        // one set of entities for every warm-up backlog: their Redis counters are created once, so however many
        // backlogs the compilers take, the timed one meets a Redis holding as many keys as after one
        String tenants = InvalidatorThroughputProbe.newTenantPrefix();
        double eventsPerSecond;
        do {
            long started = System.nanoTime();
            Measured warmup = measure(probe, tenants, settings.warmupEvents(), settings);
            double share = settling.roundDone(Duration.ofNanos(System.nanoTime() - started),
                    warmup.threadCpuSeconds());
            eventsPerSecond = warmup.result().eventsPerSecond();
            run.console.printf("   warm-up %d: the JIT compilers %s of the CPU%n", settling.rounds(),
                    Double.isNaN(share) ? "unknown share" : String.format("%.1f %%", share * 100));
        } while (settling.goOn());
        if (!Double.isNaN(eventsPerSecond)) {
            sheet.extensions.put(WARMUP, Rounding.tenths(eventsPerSecond));
        }
        Map<String, Object> ended = new LinkedHashMap<>();
        ended.put("backlogs", settling.rounds());
        ended.put("seconds", Rounding.tenths(settling.done().toMillis() / 1000.0));
        ended.put("jit_compiler_share", settling.reportedShare());
        ended.put("settled", settling.reportedSettled());
        ended.put("settled_share", JitSettling.SETTLED_SHARE);
        sheet.extensions.put(WARMUP_SETTLING, ended);
    }

    private Measured measure(InvalidatorThroughputProbe probe, String tenants, int events,
            Profile.InvalidatorThroughput settings) {
        run.console.printf("   producing a backlog of %,d events over %,d tenant domains%n", events,
                settings.scopes());
        List<ProcessPlacement> processes = run.target.processes();
        CpuSnapshot[] window = new CpuSnapshot[2];
        ThreadCpuSnapshot[] threads = new ThreadCpuSnapshot[2];
        InvalidatorThroughputProbe.Result result = probe.run(tenants, events, settings.scopes(), settings.timeout(),
                () -> {
                    threads[0] = ThreadCpuSnapshot.take(processes);
                    window[0] = CpuSnapshot.take(processes, List.of());
                },
                () -> {
                    window[1] = CpuSnapshot.take(processes, List.of());
                    threads[1] = ThreadCpuSnapshot.take(processes);
                });
        run.console.printf("   %,.0f events/s, %.1f events per invalidation (%s)%n", result.eventsPerSecond(),
                result.coalescingRatio(), result.backlogFirst() ? "one instance on a backlog, from its committed offsets"
                        : "the group, while the harness produced: a lower bound");
        Map<String, Map<String, Double>> threadSeconds = threads[1].since(threads[0]);
        return new Measured(result, CpuSnapshot.millisecondsPer(window[1].since(window[0]), events / 1000.0),
                threadSeconds, ThreadCpuPerUnit.of(threadSeconds, events / 1000.0, THREAD_FOLDED_BELOW_MS));
    }

    /** The busiest threads over every process, as {@code process/thread=ms}, the largest first. */
    static String busiest(Map<String, Map<String, Double>> threadCpu) {
        return threadCpu.entrySet().stream()
                .flatMap(process -> process.getValue().entrySet().stream()
                        .filter(thread -> !ThreadCpuPerWrite.OTHER_THREADS.equals(thread.getKey()))
                        .map(thread -> Map.entry(process.getKey() + "/" + thread.getKey(), thread.getValue())))
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .limit(THREADS_NAMED)
                .map(entry -> entry.getKey() + "=" + entry.getValue())
                .collect(Collectors.joining(", "));
    }

    private void scaling(ResultSheet sheet, String kafka, Profile.InvalidatorThroughput settings) {
        Optional<InvalidatorControl> control = run.target.invalidators();
        if (control.isEmpty() || control.get().instances() < 2) {
            sheet.notMeasured(SCALING, control.isEmpty() ? "the target gives no control over its invalidators"
                    : "the target has a single invalidator instance");
            return;
        }
        InvalidatorScalingProbe probe = new InvalidatorScalingProbe(kafka, control.get());
        List<BenchReport.ScalingRun> runs = new ArrayList<>();
        for (int instances : List.of(1, control.get().instances())) {
            run.console.printf("   %d instance(s) on a paused backlog of %,d events%n", instances, settings.events());
            InvalidatorScalingProbe.Run measured = probe.run(instances, settings.events(), settings.scopes(),
                    settings.timeout());
            run.console.printf("   %d instance(s): %,.0f events/s%n", instances, measured.eventsPerSecond());
            runs.add(new BenchReport.ScalingRun(instances, measured.events(),
                    Rounding.tenths(measured.eventsPerSecond())));
        }
        double first = runs.get(0).eventsPerS();
        double last = runs.get(runs.size() - 1).eventsPerS();
        sheet.extensions.put(SCALING, new BenchReport.InvalidatorScaling(probe.mutationPartitions(), runs,
                first > 0 ? Rounding.hundredths(last / first) : null));
    }
}
