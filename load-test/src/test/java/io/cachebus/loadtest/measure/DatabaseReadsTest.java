package io.cachebus.loadtest.measure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DatabaseReadsTest {

    private static PrometheusSamples scrape(double workflowLoads, double notificationLoads, double readThrough) {
        return PrometheusSamples.parse("""
                # TYPE cachebus_cache_loads_total counter
                cachebus_cache_loads_total{domain="workflows"} %s
                cachebus_cache_loads_total{domain="notifications"} %s
                cachebus_consistency_read_through_total{domain="workflows"} %s
                cachebus_cache_lookups_total{domain="workflows",tier="LOADER"} 1000.0
                """.formatted(workflowLoads, notificationLoads, readThrough));
    }

    @Test
    void sumsTheLoadsOfEveryDomainAndTheReadsThroughAmongThem() {
        assertThat(DatabaseReads.of(scrape(30, 12, 7))).isEqualTo(new DatabaseReads(42, 7));
    }

    @Test
    void aCounterTheNodeHasNotRegisteredYetCountsZero() {
        assertThat(DatabaseReads.of(PrometheusSamples.parse("jvm_threads_live_threads 42.0\n")))
                .isEqualTo(DatabaseReads.NONE);
    }

    @Test
    void readsSinceAnEarlierScrapeAreTheDifferenceAndAddUpOverNodes() {
        DatabaseReads nodeA = DatabaseReads.of(scrape(50, 10, 9)).since(DatabaseReads.of(scrape(30, 10, 2)));
        DatabaseReads nodeB = DatabaseReads.of(scrape(5, 0, 0)).since(DatabaseReads.NONE);
        assertThat(nodeA).isEqualTo(new DatabaseReads(20, 7));
        assertThat(nodeA.plus(nodeB)).isEqualTo(new DatabaseReads(25, 7));
    }

    @Test
    void aNodeThatRestartedInBetweenCountsWhatItReadSinceTheRestart() {
        DatabaseReads beforeTheKill = DatabaseReads.of(scrape(400, 100, 50));
        DatabaseReads afterTheRestart = DatabaseReads.of(scrape(12, 3, 4));
        assertThat(afterTheRestart.since(beforeTheKill)).isEqualTo(new DatabaseReads(15, 4));
    }
}
