package io.cachebus.loadtest.invalidation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cachebus.events.CacheKeys;
import io.cachebus.local.redis.RedisServer;
import org.junit.jupiter.api.Test;

class InvalidatorStrategiesTest {

    private static final String TENANT = "tenant-1";
    private static final String DOMAIN = "workflows";

    @Test
    void measuresTheInvalidatorsScanAndGenerationStrategiesOnTheFixture() {
        assumeTrue(RedisServer.isAvailable(), "no redis-server installed");
        try (KeyspaceFixture fixture = KeyspaceFixture.start(10_000, 200, TENANT, DOMAIN);
                PrefixStrategies.Bound strategies = new InvalidatorStrategies().on(fixture.redis())) {
            assertThat(strategies.scan().name()).isEqualTo("scan");
            assertThat(strategies.defaultStrategy().name()).isEqualTo("generation");

            PrefixInvalidationBench.Cost scan = PrefixInvalidationBench.measure(fixture, strategies.scan(), 2);
            assertThat(scan.removed()).isEqualTo(200);
            String counter = CacheKeys.generationKeyOfDomain(TENANT, DOMAIN);
            long afterScan = Long.parseLong(fixture.redis().text("GET", counter));
            assertThat(scan.keyspace()).isGreaterThanOrEqualTo(10_000);
            assertThat(fixture.redis().command("EXISTS", CacheKeys.key(TENANT, DOMAIN, "bench-entry-0")))
                    .as("scan deleted the entries").isEqualTo(":0");

            PrefixInvalidationBench.Cost generation = PrefixInvalidationBench.measure(fixture,
                    strategies.defaultStrategy(), 3);
            assertThat(generation.removed()).as("every entry orphaned").isEqualTo(200);
            assertThat(fixture.redis().command("EXISTS", CacheKeys.key(TENANT, DOMAIN, "bench-entry-0")))
                    .as("generation leaves the entries to their TTL").isEqualTo(":1");
            // both strategies bump the domain's generation: 3 generation runs after the scan runs
            assertThat(Long.parseLong(fixture.redis().text("GET", counter))).isEqualTo(afterScan + 3);
        }
    }
}
