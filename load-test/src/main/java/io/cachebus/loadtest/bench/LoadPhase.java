package io.cachebus.loadtest.bench;

import io.cachebus.loadtest.deployment.ApiNodes;
import io.cachebus.loadtest.deployment.NodeMode;
import io.cachebus.loadtest.measure.CacheLookups;
import io.cachebus.loadtest.measure.InvalidateOnWriteCeiling;
import io.cachebus.loadtest.measure.KafkaHopProbe;
import io.cachebus.loadtest.measure.LatencyStat;
import io.cachebus.loadtest.measure.MissCauses;
import io.cachebus.loadtest.measure.NodesStalenessBound;
import io.cachebus.loadtest.measure.PrometheusSamples;
import io.cachebus.loadtest.measure.PropagationProbe;
import io.cachebus.loadtest.measure.QuantileRatioInterval;
import io.cachebus.loadtest.measure.SampledConsistency;
import io.cachebus.loadtest.measure.StaleReadChecker;
import io.cachebus.loadtest.measure.WindowCounters;
import io.cachebus.loadtest.profile.Profile;
import io.cachebus.loadtest.report.BenchReport;
import io.cachebus.loadtest.report.NodeReadFigures.ScrapedLatency;
import io.cachebus.loadtest.workload.EntityCatalog;
import io.cachebus.loadtest.workload.Marker;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.HdrHistogram.Histogram;

/**
 * The open-loop mixed load on the target's nodes: read and write latency, propagation, stale reads and hit
 * ratio. When the target has nodes with invalidation off, the same load runs on them, on tenants of their own,
 * in slices alternating with the measured load, for the write-latency baseline: alternating rather than one
 * after the other so that both meet the same machine (JIT, garbage collector, other processes).
 */
final class LoadPhase implements BenchPhase {

    /** What the nodes counted that says why reads missed during the measured load ({@link MissCauses}). */
    static final String MISS_CAUSES = "cache_miss_causes";
    /** The kinds of entities (and tenants) of the measured load and of its baseline. */
    static final String MEASURED = "t";
    static final String BASELINE = "b";
    /** Where the report says why the reads beyond the nodes' own bound were not counted. */
    static final String BEYOND_NODES_BOUND = "stale_read_check.beyond_nodes_bound";
    /** The most passes of first reads before the load ({@link #readEachOnce}). */
    static final int FIRST_READ_PASSES = 3;
    /** How often the bare Kafka hop probe sends a record while it runs ({@link KafkaHopProbe}). */
    static final Duration KAFKA_HOP_INTERVAL = Duration.ofMillis(10);

    private final RunContext run;

    LoadPhase(RunContext run) {
        this.run = run;
    }

    @Override
    public List<String> figures() {
        return List.of("read_latency_ms", "write_latency_ms", "write_latency_no_invalidation_ms", "propagation_ms",
                "stale_reads_beyond_bound", "hit_ratio", "db_queries_per_read", "propagation_in_node_ms");
    }

    @Override
    public void run(ResultSheet sheet) throws InterruptedException {
        Profile.Timing timing = run.profile.timing();
        List<URI> nodes = run.target.apiNodes();
        Optional<ApiNodes> baselineNodes = run.target.nodes(NodeMode.INVALIDATION_OFF);
        if (baselineNodes.isPresent()) {
            run.dealTenants(run.profile.workload().tenants(), MEASURED, BASELINE);
        }
        run.loadCatalog = run.createEntities(MEASURED, nodes);
        InvalidateOnWriteCeiling ceiling = new InvalidateOnWriteCeiling();
        LoadDriver measured = driver(run.loadCatalog, nodes, ceiling);
        if (baselineNodes.isEmpty()) {
            sheet.notMeasured("write_latency_no_invalidation_ms", "the target has no API nodes with invalidation "
                    + "off (for a deployment given by URLs: --no-invalidation-urls)");
        }
        try {
            LoadDriver baseline = null;
            if (baselineNodes.isPresent()) {
                List<URI> urls = baselineNodes.get().urls();
                // Tenants of their own: writes there publish nothing, so the normal nodes would keep stale copies.
                baseline = driver(run.createEntities(BASELINE, urls), urls, new InvalidateOnWriteCeiling());
            }
            run.console.printf("   reading each of the %d entities and its derived data once%n",
                    run.loadCatalog.size());
            readEachOnce(nodes, sheet);
            run.drive("warm-up", measured, LoadRecording.discarded(), timing.warmup());
            if (baseline != null) {
                run.drive("baseline warm-up", baseline, LoadRecording.discarded(), timing.warmup());
            }

            Optional<List<PrometheusSamples>> metricsBefore = run.scrapeMetrics(nodes, sheet, "hit_ratio");
            List<URI> invalidators = run.target.invalidatorUrls();
            if (invalidators.isEmpty()) {
                sheet.notMeasured(BenchReport.MUTATION_AGE_IN_INVALIDATOR, "the target names no invalidator to scrape");
            }
            Optional<List<PrometheusSamples>> invalidatorsBefore = scrapeInvalidators(invalidators, sheet);
            StaleReadChecker staleReads = new StaleReadChecker(timing.boundMs());
            PropagationProbe propagation = propagationProbe(nodes);
            // the figures are taken over the slices without the probe, whose polls (about nine per sampled write, as
            // its eviction is applied) the baseline never carries; the probed slices are reported beside them
            LoadRecording withoutProbe = new LoadRecording("reads", "writes", staleReads, propagation);
            LoadRecording withProbe = new LoadRecording("reads", "writes", staleReads, propagation);
            LoadRecording baselineRecording = new LoadRecording("baseline reads", "baseline writes", null, null);
            Duration slice = timing.measure().dividedBy(timing.slices());
            Duration baselineSlice = timing.baseline().dividedBy(timing.slices());
            long measuredNanos = 0;
            // the baseline's reads go to the same JVMs (their invalidation-off ports), on tenants of their own that
            // nothing warmed up: the hit ratio and the loads per read count the measured slices only, and of those
            // the slices without the propagation probe, whose polls read every write just made on every node
            MeasuredSlices measuredSlices = new MeasuredSlices();
            Optional<KafkaHopProbe> kafkaHop = startKafkaHopProbe(sheet);
            try {
                for (int i = 1; i <= timing.slices(); i++) {
                    boolean probed = MeasuredSlices.probes(i, timing.slices());
                    if (probed) {
                        propagation.resume();
                    } else {
                        propagation.pause();
                        propagation.awaitIdle(run.profile.propagation().timeout().plusSeconds(1));
                    }
                    LoadRecording recording = probed ? withProbe : withoutProbe;
                    Optional<List<PrometheusSamples>> sliceCounters = i == 1 ? metricsBefore
                            : run.scrapeMetrics(nodes, sheet, "hit_ratio");
                    Optional<List<PrometheusSamples>> sliceInvalidators = i == 1 ? invalidatorsBefore
                            : scrapeInvalidators(invalidators, sheet);
                    long readsBefore = recording.readCount.sum();
                    ceiling.counting(MeasuredSlices.countsFigures(i, timing.slices()));
                    long sliceStart = run.clock.nanoTime();
                    // the hop probe's records (100 a second, beside full's 15 writes) stay out of the slices the
                    // figures and the baseline come from: it runs beside the propagation probe
                    if (probed) {
                        kafkaHop.ifPresent(KafkaHopProbe::record);
                    }
                    run.drive(label("load", i), measured, recording, slice);
                    if (probed) {
                        kafkaHop.ifPresent(KafkaHopProbe::pause);
                    }
                    measuredNanos += run.clock.nanoTime() - sliceStart;
                    ceiling.counting(false);
                    measuredSlices.add(probed, sliceCounters, run.scrapeMetrics(nodes, sheet, "hit_ratio"),
                            recording.readCount.sum() - readsBefore);
                    if (!invalidators.isEmpty()) {
                        measuredSlices.addInvalidators(probed, sliceInvalidators,
                                scrapeInvalidators(invalidators, sheet));
                    }
                    if (baseline != null) {
                        run.drive(label("baseline", i), baseline, baselineRecording, baselineSlice);
                    }
                }
                kafkaHop.ifPresent(probe -> reportKafkaHop(sheet, probe));
            } finally {
                if (kafkaHop.isPresent()) {
                    kafkaHop.get().close();
                }
            }
            propagation.awaitIdle(run.profile.propagation().timeout().plusSeconds(1));
            // a node confirms a stale hit only confirm-after (the bound, on the local cluster) after re-reading it
            Thread.sleep(samplesSettle(timing).toMillis());
            Optional<List<PrometheusSamples>> metricsAfter = run.scrapeMetrics(nodes, sheet, "hit_ratio");
            Optional<List<PrometheusSamples>> invalidatorsAfter = scrapeInvalidators(invalidators, sheet);
            ScrapedLatency mutationAge = overSlices(measuredSlices.countedInvalidators(), invalidators,
                    invalidatorsAfter, ScrapedTimer.MUTATION_AGE_METRIC);
            if (mutationAge != null) {
                sheet.extensions.put(BenchReport.MUTATION_AGE_IN_INVALIDATOR, mutationAge);
            }
            ScrapedLatency pollToBroadcast = overSlices(measuredSlices.countedInvalidators(), invalidators,
                    invalidatorsAfter, ScrapedTimer.POLL_TO_BROADCAST_METRIC);
            if (pollToBroadcast != null) {
                sheet.extensions.put(BenchReport.POLL_TO_BROADCAST_IN_INVALIDATOR, pollToBroadcast);
            }

            report(sheet, withoutProbe, withProbe, propagation, staleReads, metricsBefore, metricsAfter,
                    measuredSlices, measuredNanos / 1e9, nodes);
            if (measuredSlices.countsUnprobed()) {
                sheet.extensions.put(BenchReport.PROBED_SLICES, new BenchReport.ProbedSlices(
                        measuredSlices.probedSlices(), BenchRunner.readLatency(withProbe.reads.snapshot()),
                        BenchRunner.writeLatency(withProbe.writes.snapshot()),
                        overSlices(measuredSlices.probed(), nodes, metricsAfter, ScrapedTimer.METRIC),
                        overSlices(measuredSlices.probed(), nodes, metricsAfter, ScrapedTimer.DELIVERY_METRIC),
                        overSlices(measuredSlices.probedInvalidators(), invalidators, invalidatorsAfter,
                                ScrapedTimer.MUTATION_AGE_METRIC)));
            }
            reportCeiling(sheet, ceiling);
            if (baseline != null) {
                sheet.writeLatencyNoInvalidation = baselineRecording.writes.snapshot();
                reportWriteP99Ratio(sheet);
                sheet.errors += baselineRecording.errors.sum();
                printErrors("baseline", baselineRecording);
            }
        } finally {
            baselineNodes.ifPresent(ApiNodes::close);
        }
    }

    /**
     * Reads each of the load's entities and its derived data once, so the load starts from every entry cached (the
     * hit ratio's ceiling does), and again while the nodes answered some of a pass's reads without Redis: on a busy
     * machine a node's Redis breaker can open during the first reads, and what it loads then reaches no other node.
     */
    private void readEachOnce(List<URI> nodes, ResultSheet sheet) throws InterruptedException {
        List<Long> withoutRedis = new ArrayList<>();
        Optional<List<PrometheusSamples>> before = run.scrapeMetrics(nodes, sheet, BenchReport.FIRST_READS);
        while (withoutRedis.size() < FIRST_READ_PASSES) {
            CatalogSetup.readOnce(run.api, nodes, run.loadCatalog);
            Optional<List<PrometheusSamples>> after = run.scrapeMetrics(nodes, sheet, BenchReport.FIRST_READS);
            if (before.isEmpty() || after.isEmpty()) {
                return;
            }
            long missedRedis = Math.round(MissCauses.between(before.get(), after.get()).readsWithoutRedis());
            withoutRedis.add(missedRedis);
            if (missedRedis == 0) {
                break;
            }
            // nothing reads between two passes: this pass's end is the next one's start
            before = after;
            run.console.printf("   %d of those reads were answered without Redis (a node's breaker opened, say)%s%n",
                    missedRedis, withoutRedis.size() < FIRST_READ_PASSES ? ": reading them all again" : "");
        }
        sheet.extensions.put(BenchReport.FIRST_READS, new BenchReport.FirstReads(withoutRedis.size(), withoutRedis));
    }

    /** The bare Kafka hop probe on the target's broker; empty (and said so) when the harness may not use it. */
    private Optional<KafkaHopProbe> startKafkaHopProbe(ResultSheet sheet) {
        Optional<String> kafka = run.target.kafkaBootstrapServers();
        if (kafka.isEmpty()) {
            sheet.notMeasured(BenchReport.KAFKA_HOP_UNDER_LOAD, "the target gives the harness no access to Kafka");
            return Optional.empty();
        }
        try {
            return Optional.of(KafkaHopProbe.start(kafka.get(), KAFKA_HOP_INTERVAL));
        } catch (RuntimeException e) {
            sheet.notMeasured(BenchReport.KAFKA_HOP_UNDER_LOAD, "the probe could not start: " + e.getMessage());
            return Optional.empty();
        }
    }

    private void reportKafkaHop(ResultSheet sheet, KafkaHopProbe probe) {
        Histogram hops = probe.hops();
        long failures = probe.sendFailures();
        if (hops.getTotalCount() == 0) {
            sheet.notMeasured(BenchReport.KAFKA_HOP_UNDER_LOAD, "no probe record came back during the load");
            return;
        }
        BenchReport.KafkaHop hop = new BenchReport.KafkaHop(hops.getTotalCount(), LatencyStat.millisAt(hops, 50),
                LatencyStat.millisAt(hops, 99), LatencyStat.maxMillis(hops), KAFKA_HOP_INTERVAL.toMillis(), failures,
                BenchReport.KafkaHop.BESIDE_THE_PROPAGATION_PROBE);
        sheet.extensions.put(BenchReport.KAFKA_HOP_UNDER_LOAD, hop);
        run.console.printf("   a bare Kafka hop %s: p50 %.2f ms, p99 %.2f ms over %d records%n", hop.slices(), hop.p50(),
                hop.p99(), hop.samples());
    }

    /**
     * A timer of {@code processes} over the slices {@code windows} added up, its max from the last scrape; null when
     * a scrape failed or none of them exposes it.
     */
    private static ScrapedLatency overSlices(WindowCounters windows, List<URI> processes,
            Optional<List<PrometheusSamples>> lastScrape, String metric) {
        Optional<List<PrometheusSamples>> sums = windows.perNode();
        if (processes.isEmpty() || sums.isEmpty() || lastScrape.isEmpty()) {
            return null;
        }
        return ScrapedTimer.overWindows(processes, sums.get(), lastScrape.get(), metric).orElse(null);
    }

    private void reportWriteP99Ratio(ResultSheet sheet) {
        QuantileRatioInterval.Interval interval = QuantileRatioInterval.of(sheet.writeLatency,
                sheet.writeLatencyNoInvalidation, 99);
        if (interval == null) {
            return;
        }
        sheet.extensions.put(BenchReport.WRITE_P99_RATIO, new BenchReport.WriteP99Ratio(
                Rounding.thousandths(interval.ratio()), Rounding.thousandths(interval.low()),
                Rounding.thousandths(interval.high()), sheet.writeLatency.getTotalCount(),
                sheet.writeLatencyNoInvalidation.getTotalCount(), QuantileRatioInterval.RESAMPLES));
        run.console.printf("   write p99 %.2fx the baseline's (95%% bootstrap interval %.2f to %.2f)%n",
                interval.ratio(), interval.low(), interval.high());
    }

    /** The invalidators' metrics; empty when the target names none. */
    private Optional<List<PrometheusSamples>> scrapeInvalidators(List<URI> invalidators, ResultSheet sheet)
            throws InterruptedException {
        return invalidators.isEmpty() ? Optional.empty()
                : run.scrapeMetrics(invalidators, sheet, BenchReport.MUTATION_AGE_IN_INVALIDATOR);
    }

    /** How long the nodes' samples of the last reads need to be confirmed stale or not. */
    static Duration samplesSettle(Profile.Timing timing) {
        return Duration.ofMillis(2 * timing.boundMs()).plusSeconds(1);
    }

    private String label(String name, int slice) {
        return run.profile.timing().slices() == 1 ? name : name + " " + slice + "/" + run.profile.timing().slices();
    }

    private LoadDriver driver(EntityCatalog catalog, List<URI> nodes, InvalidateOnWriteCeiling ceiling) {
        return new LoadDriver(run.api, nodes, run.mix(catalog, nodes.size()), run.ledger, run.writeIds, run.clock,
                ceiling);
    }

    private PropagationProbe propagationProbe(List<URI> nodes) {
        Profile.Propagation sampling = run.profile.propagation();
        return new PropagationProbe(nodes,
                (node, entity) -> run.api.read(node, entity).thenApply(reply -> reply.ok() ? reply.value() : Marker.NONE),
                run.timer, run.clock, sampling.pollInterval(), sampling.timeout(), sampling.spacing(),
                sampling.maxConcurrent());
    }

    private void report(ResultSheet sheet, LoadRecording withoutProbe, LoadRecording withProbe,
            PropagationProbe propagation, StaleReadChecker staleReads, Optional<List<PrometheusSamples>> metricsBefore,
            Optional<List<PrometheusSamples>> metricsAfter, MeasuredSlices measuredSlices, double measuredSeconds,
            List<URI> nodes) throws InterruptedException {
        Profile.Workload workload = run.profile.workload();
        sheet.reads = withoutProbe.readCount.sum() + withProbe.readCount.sum();
        sheet.writes = withoutProbe.writeCount.sum() + withProbe.writeCount.sum();
        sheet.errors += withoutProbe.errors.sum() + withProbe.errors.sum();
        printErrors("load", withProbe);
        printErrors("load", withoutProbe);
        LoadRecording counted = measuredSlices.countsUnprobed() ? withoutProbe : withProbe;
        sheet.readLatency = counted.reads.snapshot();
        sheet.writeLatency = counted.writes.snapshot();
        sheet.propagation = propagation.latency().snapshot();
        sheet.propagationDetail = new BenchReport.PropagationDetail(sheet.propagation.getTotalCount(),
                propagation.timeouts(), propagation.polls());
        if (sheet.propagation.getTotalCount() == 0) {
            sheet.notMeasured("propagation_ms", "no workflow write was acknowledged during the measured load");
        }

        Optional<SampledConsistency> sampled = metricsBefore.isEmpty() || metricsAfter.isEmpty() ? Optional.empty()
                : Optional.of(SampledConsistency.sumOf(metricsAfter.get())
                        .since(SampledConsistency.sumOf(metricsBefore.get())));
        StaleReadChecker.Summary stale = staleReads.judgeAll(run.ledger);
        sheet.staleReadsBeyondBound = stale.staleBeyondBound();
        NodesStalenessBound nodesBound = run.nodesStalenessBound(nodes);
        Long beyondNodesBound = nodesBound.maxStalenessMs() == null ? null
                : stale.staleBeyond(nodesBound.maxStalenessMs());
        if (beyondNodesBound == null) {
            sheet.notMeasured(BEYOND_NODES_BOUND, nodesBound.unknownBecause());
        }
        sheet.staleReadCheck = new BenchReport.StaleReadCheck(stale.checked(), stale.supersededWithinBound(),
                stale.unknownMarker(), stale.staleBeyondBound() == 0 ? null : stale.maxStalenessMsBeyondBound(),
                stale.examples().stream().map(e -> e.entity() + " showed value " + e.value() + ", "
                        + String.format(Locale.ROOT, "%.1f", e.stalenessMs()) + " ms after it was superseded").toList(),
                sampled.map(s -> Math.round(s.checked())).orElse(null),
                sampled.map(s -> Math.round(s.stale())).orElse(null),
                sampled.map(s -> Math.round(s.dropped())).orElse(null),
                nodesBound.maxStalenessMs(), beyondNodesBound);
        run.console.printf("   stale-read check: %d reads, %d beyond %d ms, %d superseded within the bound, "
                + "%d unknown; %s%n", stale.checked(), stale.staleBeyondBound(), run.profile.timing().boundMs(),
                stale.supersededWithinBound(), stale.unknownMarker(), beyondNodesBound == null
                        ? "the nodes' own bound not known (" + nodesBound.unknownBecause() + ")"
                        : beyondNodesBound + " beyond the nodes' own bound of " + nodesBound.maxStalenessMs() + " ms");
        sampled.ifPresent(s -> run.console.printf("   sampled by the nodes: %.0f hits checked, %.0f stale, "
                + "%.0f samples dropped%n", s.checked(), s.stale(), s.dropped()));

        Optional<List<PrometheusSamples>> countedSlices = measuredSlices.counted().perNode();
        if (countedSlices.isPresent() && metricsAfter.isPresent()) {
            ScrapedTimer.overWindows(nodes, countedSlices.get(), metricsAfter.get(), ScrapedTimer.METRIC)
                    .ifPresentOrElse(inNode -> sheet.propagationInNode = inNode,
                            () -> sheet.notMeasured("propagation_in_node_ms", "no node exposes the "
                                    + ScrapedTimer.METRIC + " timer (cachebus.eviction.propagation)"));
            // the propagation's last stretch, and what cachebus adds to a write on its own thread
            List.of(Map.entry(BenchReport.BROADCAST_DELIVERY_IN_NODE, ScrapedTimer.DELIVERY_METRIC),
                    Map.entry(BenchReport.OUTBOX_RECORD_IN_NODE, ScrapedTimer.OUTBOX_RECORD_METRIC),
                    Map.entry(BenchReport.OUTBOX_AFTER_COMMIT_IN_NODE, ScrapedTimer.OUTBOX_AFTER_COMMIT_METRIC))
                    .forEach(timer -> ScrapedTimer.overWindows(nodes, countedSlices.get(), metricsAfter.get(),
                            timer.getValue()).ifPresent(latency -> sheet.extensions.put(timer.getKey(), latency)));
        } else {
            sheet.notMeasured("propagation_in_node_ms", "the nodes' metrics could not be scraped");
        }
        if (countedSlices.isPresent()) {
            List<PrometheusSamples> zeros = WindowCounters.zeros(nodes.size());
            databaseQueriesPerRead(sheet, zeros, countedSlices.get(), measuredSlices.countedReads());
            sheet.extensions.put(BenchReport.HIT_RATIO_SLICES, measuredSlices.detail(nodes.size()));
            MissCauses causes = MissCauses.between(zeros, countedSlices.get());
            sheet.extensions.put(MISS_CAUSES, causes);
            run.console.printf("   lookups by tier %s; misses by domain %s; %s%n", causes.lookupsByTier(),
                    causes.loaderRunsByDomain(), causes.counters());
            CacheLookups.sumOf(countedSlices.get()).hitRatio().ifPresentOrElse(
                    ratio -> sheet.hitRatio = ratio,
                    () -> sheet.notMeasured("hit_ratio", "the nodes counted no " + CacheLookups.METRIC
                            + " during the load"));
        } else {
            sheet.notMeasured("db_queries_per_read", "the nodes' metrics could not be scraped");
            sheet.notMeasured("hit_ratio", "the nodes' metrics could not be scraped");
        }
        long requests = sheet.reads + sheet.writes + withoutProbe.errors.sum() + withProbe.errors.sum();
        sheet.load = new BenchReport.LoadDetail(workload.requestsPerSecond(), requests / measuredSeconds,
                measuredSeconds, workload.tenants(), run.loadCatalog.size(), nodes.size(), workload.readRatio(),
                workload.zipfExponent());
    }

    /**
     * The mixed load's database reads per read: the nodes' cache loader runs (every read the cache did not answer,
     * read-through ones included) over the reads the harness completed.
     */
    private static void databaseQueriesPerRead(ResultSheet sheet, List<PrometheusSamples> before,
            List<PrometheusSamples> after, long reads) {
        OptionalDouble perRead = MeasuredSlices.loadsPerRead(before, after, reads);
        if (perRead.isEmpty()) {
            sheet.notMeasured("db_queries_per_read", "no read completed during the measured load");
        } else {
            sheet.dbQueriesPerRead = perRead.getAsDouble();
        }
    }

    private void reportCeiling(ResultSheet sheet, InvalidateOnWriteCeiling ceiling) {
        ceiling.hitRatio().ifPresent(ratio -> {
            sheet.extensions.put(BenchReport.HIT_RATIO_CEILING,
                    new BenchReport.HitRatioCeiling(Rounding.thousandths(ratio), ceiling.reads(), ceiling.misses()));
            run.console.printf("   hit ratio ceiling of the workload (a cache that drops exactly what each write "
                    + "changed, at once): %.1f%% over %d reads%n", ratio * 100, ceiling.reads());
        });
    }

    private void printErrors(String label, LoadRecording recording) {
        recording.firstErrors().forEach(error -> run.console.println("   " + label + " error: " + error));
    }
}
