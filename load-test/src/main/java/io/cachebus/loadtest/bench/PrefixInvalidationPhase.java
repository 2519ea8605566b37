package io.cachebus.loadtest.bench;

import io.cachebus.local.redis.RedisServer;
import io.cachebus.loadtest.invalidation.KeyspaceFixture;
import io.cachebus.loadtest.invalidation.PrefixInvalidationBench;
import io.cachebus.loadtest.invalidation.PrefixStrategies;
import io.cachebus.loadtest.profile.Profile;
import io.cachebus.loadtest.report.BenchReport;
import java.util.List;
import java.util.Optional;

/**
 * Redis prefix invalidation, the {@code scan} strategy against the default one, on a redis-server of the
 * harness's own holding the profile's keyspace (independent of the target, which keeps its Redis).
 */
final class PrefixInvalidationPhase implements BenchPhase {

    private final RunContext run;
    private final Optional<PrefixStrategies> strategies;

    PrefixInvalidationPhase(RunContext run, Optional<PrefixStrategies> strategies) {
        this.run = run;
        this.strategies = strategies;
    }

    @Override
    public List<String> figures() {
        return List.of("prefix_invalidation_ms");
    }

    @Override
    public void run(ResultSheet sheet) {
        if (strategies.isEmpty()) {
            sheet.notMeasured("prefix_invalidation_ms", "this build has no invalidator strategies to measure");
            return;
        }
        if (!RedisServer.isAvailable()) {
            sheet.notMeasured("prefix_invalidation_ms", "needs a redis-server on this machine (none installed)");
            return;
        }
        Profile.PrefixInvalidation settings = run.profile.prefix();
        run.console.printf("   filling a redis-server of its own with %,d keys, %,d under the prefix%n",
                settings.keyspace(), settings.keysUnderPrefix());
        try (KeyspaceFixture fixture = KeyspaceFixture.start(settings.keyspace(), settings.keysUnderPrefix(),
                "lt" + run.runId + "-prefix", "workflows");
                PrefixStrategies.Bound bound = strategies.get().on(fixture.redis())) {
            sheet.scanCost = cost(PrefixInvalidationBench.measure(fixture, bound.scan(), settings.repetitions()));
            sheet.defaultCost = cost(PrefixInvalidationBench.measure(fixture, bound.defaultStrategy(),
                    settings.repetitions()));
        }
    }

    private BenchReport.StrategyCost cost(PrefixInvalidationBench.Cost cost) {
        run.console.printf("   %s: p50 %.3f ms over %,d keys, %,d removed%n", cost.strategy(), cost.p50Millis(),
                cost.keyspace(), cost.removed());
        return new BenchReport.StrategyCost(cost.keyspace(), cost.removed(), Rounding.thousandths(cost.p50Millis()),
                cost.strategy(), cost.runsMillis().stream().map(Rounding::thousandths).toList());
    }
}
