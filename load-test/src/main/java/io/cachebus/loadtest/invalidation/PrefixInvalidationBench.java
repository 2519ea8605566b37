package io.cachebus.loadtest.invalidation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Times prefix invalidation strategies on one {@link KeyspaceFixture}: each strategy runs {@code repetitions}
 * times, the prefix refilled before every run so each one faces the full keyspace.
 */
public final class PrefixInvalidationBench {

    /** One strategy's figures. */
    public record Cost(String strategy, long keyspace, long removed, double p50Millis, List<Double> runsMillis) {
    }

    private PrefixInvalidationBench() {
    }

    public static Cost measure(KeyspaceFixture fixture, PrefixStrategy strategy, int repetitions) {
        if (repetitions < 1) {
            throw new IllegalArgumentException("at least one repetition");
        }
        List<Double> runs = new ArrayList<>();
        long keyspace = 0;
        long removed = 0;
        for (int run = 0; run < repetitions; run++) {
            fixture.refillPrefix();
            keyspace = fixture.redis().dbSize();
            long start = System.nanoTime();
            removed = strategy.invalidate(fixture.tenant(), fixture.domain(), fixture.keysUnderPrefix());
            runs.add((System.nanoTime() - start) / 1e6);
        }
        return new Cost(strategy.name(), keyspace, removed, median(runs), List.copyOf(runs));
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }
}
