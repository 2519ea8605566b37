package io.cachebus.loadtest.bench;

import io.cachebus.loadtest.deployment.ApiNodes;
import io.cachebus.loadtest.deployment.NodeMode;
import io.cachebus.loadtest.profile.Profile;
import io.cachebus.loadtest.workload.EntityRef;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Read throughput at saturation over the load's hottest entities: on the target's nodes (served from cache) and
 * on nodes with caching off, in alternating slices so both meet the same machine.
 */
final class ReadThroughputPhase implements BenchPhase {

    private static final Duration WARM_UP = Duration.ofSeconds(1);

    private final RunContext run;

    ReadThroughputPhase(RunContext run) {
        this.run = run;
    }

    @Override
    public List<String> figures() {
        return List.of("cached_read_rps", "uncached_read_rps");
    }

    /** Reads and seconds summed over slices. */
    private static final class Total {
        long reads;
        long errors;
        double seconds;

        void add(ClosedLoopReads.Result slice) {
            reads += slice.reads();
            errors += slice.errors();
            seconds += slice.seconds();
        }

        double perSecond() {
            return reads / seconds;
        }
    }

    @Override
    public void run(ResultSheet sheet) throws InterruptedException {
        if (run.loadCatalog == null) {
            figures().forEach(figure -> sheet.notMeasured(figure, "needs the entities of the load phase, which did "
                    + "not run"));
            return;
        }
        Profile.ReadThroughput settings = run.profile.throughput();
        List<EntityRef> hot = run.loadCatalog.hottest(settings.hotEntities());
        List<URI> cachedNodes = run.target.apiNodes();
        Optional<ApiNodes> uncachedNodes = run.target.nodes(NodeMode.CACHE_OFF);
        if (uncachedNodes.isEmpty()) {
            sheet.notMeasured("uncached_read_rps", "the target has no API nodes with caching off (for a "
                    + "deployment given by URLs: --uncached-urls)");
        }
        try {
            ClosedLoopReads reads = new ClosedLoopReads(run.api, run.clock);
            reads.run(cachedNodes, hot, settings.concurrency(), WARM_UP);
            if (uncachedNodes.isPresent()) {
                reads.run(uncachedNodes.get().urls(), hot, settings.concurrency(), WARM_UP);
            }
            Duration slice = settings.duration().dividedBy(settings.slices());
            Total cached = new Total();
            Total uncached = new Total();
            for (int i = 0; i < settings.slices(); i++) {
                cached.add(reads.run(cachedNodes, hot, settings.concurrency(), slice));
                if (uncachedNodes.isPresent()) {
                    uncached.add(reads.run(uncachedNodes.get().urls(), hot, settings.concurrency(), slice));
                }
            }
            sheet.cachedReadRps = report("cached", cached, settings, hot.size(), sheet);
            if (uncachedNodes.isPresent()) {
                sheet.uncachedReadRps = report("caching off", uncached, settings, hot.size(), sheet);
            }
        } finally {
            uncachedNodes.ifPresent(ApiNodes::close);
        }
    }

    private double report(String label, Total total, Profile.ReadThroughput settings, int entities,
            ResultSheet sheet) {
        run.console.printf("   %s: %,.0f reads/s (%d clients, %d entities, %d errors)%n", label, total.perSecond(),
                settings.concurrency(), entities, total.errors);
        sheet.errors += total.errors;
        return total.perSecond();
    }
}
