package io.cachebus.loadtest.invalidation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cachebus.events.CacheKeys;
import io.cachebus.local.redis.RedisServer;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyspaceFixtureTest {

    @Test
    void fillsTheKeyspaceWithBackgroundAndEntriesUnderTheOnePrefix() {
        assumeTrue(RedisServer.isAvailable(), "no redis-server installed");
        try (KeyspaceFixture fixture = KeyspaceFixture.start(20_000, 300, "tenant-1", "workflows")) {
            assertThat(fixture.redis().dbSize()).isEqualTo(20_000);
            assertThat(fixture.redis().command("EXISTS", CacheKeys.key("tenant-1", "workflows", "bench-entry-299")))
                    .isEqualTo(":1");
            assertThat(fixture.redis().command("EXISTS", KeyspaceFixture.BACKGROUND_PREFIX + ":19699"))
                    .isEqualTo(":1");

            fixture.redis().command("DEL", CacheKeys.key("tenant-1", "workflows", "bench-entry-0"));
            fixture.refillPrefix();
            assertThat(fixture.redis().dbSize()).isEqualTo(20_000);
        }
    }

    @Test
    void timesEachStrategyOnTheFullKeyspaceEveryRun() {
        assumeTrue(RedisServer.isAvailable(), "no redis-server installed");
        try (KeyspaceFixture fixture = KeyspaceFixture.start(5_000, 100, "tenant-1", "notifications")) {
            // a strategy that deletes the entries one by one, as any strategy must leave the keyspace refillable
            PrefixStrategy deleteEach = new PrefixStrategy() {
                @Override
                public String name() {
                    return "delete-each";
                }

                @Override
                public long invalidate(String tenant, String domain, long entriesUnderPrefix) {
                    long removed = 0;
                    for (int i = 0; i < entriesUnderPrefix; i++) {
                        removed += Long.parseLong(fixture.redis()
                                .command("DEL", CacheKeys.key(tenant, domain, "bench-entry-" + i)).substring(1));
                    }
                    return removed;
                }
            };

            PrefixInvalidationBench.Cost cost = PrefixInvalidationBench.measure(fixture, deleteEach, 3);

            assertThat(cost.strategy()).isEqualTo("delete-each");
            assertThat(cost.keyspace()).as("the prefix is refilled before every run").isEqualTo(5_000);
            assertThat(cost.removed()).isEqualTo(100);
            assertThat(cost.runsMillis()).hasSize(3).allMatch(ms -> ms > 0);
            assertThat(fixture.redis().dbSize()).isEqualTo(4_900);
        }
    }

    @Test
    void theMedianOfOddAndEvenCounts() {
        assertThat(PrefixInvalidationBench.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
        assertThat(PrefixInvalidationBench.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
    }
}
