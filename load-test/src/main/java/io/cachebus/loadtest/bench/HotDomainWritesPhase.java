package io.cachebus.loadtest.bench;

import io.cachebus.loadtest.deployment.ApiNodes;
import io.cachebus.loadtest.deployment.NodeMode;
import io.cachebus.loadtest.profile.Profile;
import io.cachebus.loadtest.report.HotDomainWarmup;
import io.cachebus.loadtest.report.HotDomainWriteRates;
import io.cachebus.loadtest.report.NodeReadFigures.ProcessPlacement;
import io.cachebus.loadtest.workload.Domain;
import io.cachebus.loadtest.workload.EntityRef;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One hot (tenant, domain)'s write throughput with cachebus against without: many closed-loop writers, each PATCHing
 * workflows of its own (so no two wait on one row), all of one tenant, once through the API nodes' own ports and once
 * through their invalidation-off ports, whose writes publish nothing (no outbox row, no event, no eviction). Both run
 * on the same JVMs, in alternating slices with the order swapped every slice, so both meet the same machine (JIT,
 * garbage collector, neighbours, the database's state). The slices follow a warm-up of the same alternating rounds
 * that lasts until the JIT compilers have settled ({@link JitSettling}).
 *
 * <p>Around every slice it reads the CPU time of each process of the target and of the database's backends, and of
 * each thread of the target's processes: what a write costs each of them, with cachebus and without, says where the
 * difference goes (in an API node, its request threads or the threads cachebus adds: the eviction listener, the
 * producer's network thread, the outbox relay). A slice's asynchronous work (the invalidator's, the nodes'
 * evictions) that is still running when it ends is counted in the next slice, whose kind alternates.
 *
 * <p>The phase's tenant is its own: the writes through the invalidation-off ports leave the nodes' caches of its
 * workflows stale on purpose, and nothing reads them.
 */
final class HotDomainWritesPhase implements BenchPhase {

    static final String FIGURE = HotDomainWriteRates.FIELD;
    private static final Duration CREATE_TIMEOUT = Duration.ofMinutes(1);

    /** A kind of port: the nodes' own, or their invalidation-off ones, in the order of the target's API nodes. */
    private record Ports(String name, List<URI> nodes) {
    }

    /** What one kind of port did over the measured slices, and the CPU every process spent meanwhile. */
    private static final class Tally {
        long ok;
        double seconds;
        final Map<String, Double> cpuSeconds = new LinkedHashMap<>();
        final Map<String, Map<String, Double>> threadCpuSeconds = new LinkedHashMap<>();

        void add(ClosedLoop.Result slice, Map<String, Double> cpu, Map<String, Map<String, Double>> threadCpu) {
            ok += slice.ok();
            seconds += slice.seconds();
            cpu.forEach((process, used) -> cpuSeconds.merge(process, used, Double::sum));
            threadCpu.forEach((process, threads) -> threads.forEach((thread, used) -> threadCpuSeconds
                    .computeIfAbsent(process, any -> new LinkedHashMap<>()).merge(thread, used, Double::sum)));
        }

        /** Milliseconds of CPU per successful write, by process, largest first. */
        Map<String, Double> cpuMsPerWrite() {
            return CpuSnapshot.millisecondsPer(cpuSeconds, ok);
        }
    }

    private final RunContext run;
    private long rateLimited;
    private long failed;

    HotDomainWritesPhase(RunContext run) {
        this.run = run;
    }

    @Override
    public List<String> figures() {
        return List.of(FIGURE);
    }

    @Override
    public void run(ResultSheet sheet) throws InterruptedException {
        Optional<ApiNodes> invalidationOff = run.target.nodes(NodeMode.INVALIDATION_OFF);
        if (invalidationOff.isEmpty()) {
            sheet.notMeasured(FIGURE, "the target has no API nodes with invalidation off (for a deployment given by "
                    + "URLs: --no-invalidation-urls)");
            return;
        }
        try (ApiNodes baseline = invalidationOff.get()) {
            measure(sheet, new Ports("with cachebus", run.target.apiNodes()),
                    new Ports("invalidation off", baseline.urls()));
        }
    }

    private void measure(ResultSheet sheet, Ports with, Ports without) throws InterruptedException {
        Profile.HotDomainWrites settings = run.profile.hotWrites();
        String tenant = run.tenants("h", 1).get(0);
        run.console.printf("   %d writers, %d workflows each, all of tenant %s%n", settings.writers(),
                settings.workflowsPerWriter(), tenant);
        List<List<EntityRef>> workflowsByWriter = createWorkflows(tenant, with.nodes(), settings);
        ClosedLoop loop = new ClosedLoop(run.clock);
        List<ProcessPlacement> processes = run.target.processes();
        warmUp(sheet, loop, with, without, workflowsByWriter, processes);
        Tally withTally = new Tally();
        Tally withoutTally = new Tally();
        List<Long> backends = CpuSnapshot.backendPids(run.target.databaseUrl());
        for (int i = 0; i < settings.slices(); i++) {
            for (Ports ports : order(i, with, without)) {
                CpuSnapshot before = CpuSnapshot.take(processes, backends);
                ThreadCpuSnapshot threadsBefore = ThreadCpuSnapshot.take(processes);
                ClosedLoop.Result result = count(loop.run(settings.writers(), settings.slice(),
                        writes(ports, workflowsByWriter)));
                (ports == with ? withTally : withoutTally).add(result,
                        CpuSnapshot.take(processes, backends).since(before),
                        ThreadCpuSnapshot.take(processes).since(threadsBefore));
                run.console.printf(Locale.ROOT, "   %s %d/%d: %,.0f writes/s (%,d in %.1f s)%n", ports.name(), i + 1,
                        settings.slices(), result.okPerSecond(), result.ok(), result.seconds());
            }
        }
        sheet.errors += rateLimited + failed;
        if (rateLimited > 0) {
            sheet.notMeasured(FIGURE, rateLimited + " writes were answered 429: the nodes' rate limit, not the writes, "
                    + "set the rate; raise cachebus.api.rate-limit.per-token and per-tenant on the nodes");
            return;
        }
        if (withoutTally.ok == 0 || withTally.ok == 0) {
            sheet.notMeasured(FIGURE, "no write succeeded on " + (withTally.ok == 0 ? with : without).name()
                    + " (" + failed + " failed)");
            return;
        }
        // the ratio of the published figures, so the report agrees with itself (and with the target's check)
        double withRate = Rounding.tenths(withTally.ok / withTally.seconds);
        double withoutRate = Rounding.tenths(withoutTally.ok / withoutTally.seconds);
        ThreadCpuPerWrite.Compared threads = ThreadCpuPerWrite.of(withTally.threadCpuSeconds, withTally.ok,
                withoutTally.threadCpuSeconds, withoutTally.ok);
        HotDomainWriteRates rates = new HotDomainWriteRates(withRate, withoutRate,
                Rounding.thousandths(withRate / withoutRate), settings.writers(), settings.workflowsPerWriter(), tenant,
                withTally.ok, withoutTally.ok, Rounding.hundredths(withTally.seconds),
                Rounding.hundredths(withoutTally.seconds), rateLimited + failed, withTally.cpuMsPerWrite(),
                withoutTally.cpuMsPerWrite(), threads.first(), threads.second());
        sheet.extensions.put(FIGURE, rates);
        run.console.printf(Locale.ROOT, "   hot domain writes: %,.0f/s with cachebus, %,.0f/s invalidation off (%.3fx)%n",
                withRate, withoutRate, withRate / withoutRate);
    }

    /** Swapped every slice, so neither kind always runs right after the other. */
    private static List<Ports> order(int slice, Ports with, Ports without) {
        return slice % 2 == 0 ? List.of(with, without) : List.of(without, with);
    }

    /**
     * Rounds of a slice of each kind, in the measure's alternating order, until {@link JitSettling} says the JIT
     * compilers have settled (or the profile's least time, when thread figures are missing).
     */
    private void warmUp(ResultSheet sheet, ClosedLoop loop, Ports with, Ports without,
            List<List<EntityRef>> workflowsByWriter, List<ProcessPlacement> processes) throws InterruptedException {
        Profile.HotDomainWrites settings = run.profile.hotWrites();
        JitSettling settling = new JitSettling(settings.warmup(), settings.settleLimit());
        for (int round = 0; settling.goOn(); round++) {
            ThreadCpuSnapshot before = ThreadCpuSnapshot.take(processes);
            StringBuilder rates = new StringBuilder();
            for (Ports ports : order(round, with, without)) {
                ClosedLoop.Result result = count(loop.run(settings.writers(), settings.slice(),
                        writes(ports, workflowsByWriter)));
                rates.append(String.format(Locale.ROOT, "%s %,.0f writes/s, ", ports.name(), result.okPerSecond()));
            }
            double share = settling.roundDone(settings.slice(), ThreadCpuSnapshot.take(processes).since(before));
            run.console.printf(Locale.ROOT, "   warm-up %d: %sthe JIT compilers %s of the CPU%n", round + 1, rates,
                    Double.isNaN(share) ? "(not measured)" : String.format(Locale.ROOT, "%.1f %%", share * 100));
        }
        HotDomainWarmup warmup = settling.report();
        if (warmup != null) {
            sheet.extensions.put(HotDomainWarmup.FIELD, warmup);
        }
    }

    private ClosedLoop.Result count(ClosedLoop.Result result) {
        rateLimited += result.rateLimited();
        failed += result.failed();
        return result;
    }

    /** Writer {@code w} sends to node {@code w} modulo the nodes, its next workflow in turn, a value no write had. */
    private ClosedLoop.Request writes(Ports ports, List<List<EntityRef>> workflowsByWriter) {
        return (writer, round) -> {
            List<EntityRef> own = workflowsByWriter.get(writer);
            return run.api.write(ports.nodes().get(writer % ports.nodes().size()), own.get((int) (round % own.size())),
                    run.writeIds.incrementAndGet());
        };
    }

    /** Each writer's workflows, created through the nodes' own ports (so every node learns of them). */
    private List<List<EntityRef>> createWorkflows(String tenant, List<URI> nodes, Profile.HotDomainWrites settings)
            throws InterruptedException {
        List<List<CompletableFuture<String>>> ids = new ArrayList<>();
        for (int writer = 0; writer < settings.writers(); writer++) {
            List<CompletableFuture<String>> ofWriter = new ArrayList<>();
            for (int i = 0; i < settings.workflowsPerWriter(); i++) {
                ofWriter.add(run.api.create(nodes.get(writer % nodes.size()), tenant, Domain.WORKFLOWS,
                        run.runId + "-hot-" + writer + "-" + i));
            }
            ids.add(ofWriter);
        }
        CatalogSetup.awaitAll(ids.stream().flatMap(List::stream).toList(), CREATE_TIMEOUT,
                "creating the hot tenant's workflows");
        return ids.stream().map(ofWriter -> ofWriter.stream()
                .map(id -> new EntityRef(tenant, Domain.WORKFLOWS, id.join())).toList()).toList();
    }
}
