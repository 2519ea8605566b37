package io.cachebus.loadtest.measure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MissCausesTest {

    @Test
    void eachCounterAndEachDomainsMissesAreTheIncreaseSummedOverTheNodes() {
        PrometheusSamples firstBefore = PrometheusSamples.parse("""
                cachebus_cache_lookups_total{domain="workflows",tier="LOADER"} 10.0
                cachebus_cache_lookups_total{domain="workflows",tier="L1"} 500.0
                cachebus_consistency_read_through_total{domain="workflows"} 1.0
                """);
        PrometheusSamples firstAfter = PrometheusSamples.parse("""
                cachebus_cache_lookups_total{domain="workflows",tier="LOADER"} 25.0
                cachebus_cache_lookups_total{domain="notifications",tier="LOADER"} 4.0
                cachebus_cache_lookups_total{domain="workflows",tier="L1"} 900.0
                cachebus_consistency_read_through_total{domain="workflows"} 3.0
                cachebus_evictions_gaps_total 2.0
                """);
        PrometheusSamples secondBefore = PrometheusSamples.parse("""
                cachebus_cache_lookups_total{domain="workflows",tier="LOADER"} 7.0
                """);
        PrometheusSamples secondAfter = PrometheusSamples.parse("""
                cachebus_cache_lookups_total{domain="workflows",tier="LOADER"} 8.0
                cachebus_cache_stale_refused_total{domain="workflows"} 5.0
                cachebus_cache_l2_skipped_total{domain="workflows",reason="read-your-writes"} 3.0
                cachebus_cache_l2_skipped_total{domain="notifications",reason="read-your-writes"} 1.0
                """);

        MissCauses causes = MissCauses.between(List.of(firstBefore, secondBefore), List.of(firstAfter, secondAfter));

        assertThat(causes.loaderRunsByDomain()).containsEntry("workflows", 16.0).containsEntry("notifications", 4.0)
                .hasSize(2);
        assertThat(causes.lookupsByTier()).containsEntry("LOADER", 20.0).containsEntry("L1", 400.0);
        assertThat(causes.counters()).containsEntry("cachebus_consistency_read_through_total", 2.0)
                .containsEntry("cachebus_evictions_gaps_total", 2.0)
                .containsEntry("cachebus_cache_stale_refused_total", 5.0)
                .containsEntry("cachebus_cache_l2_skipped_total", 4.0)
                .containsEntry("cachebus_evictions_reassignments_total", 0.0);
        assertThat(causes.readsWithoutRedis()).as("Redis left out: no fallback, 4 skipped").isEqualTo(4.0);
    }

    @Test
    void readsWithoutRedisAreTheFallbacksAndTheSkipsOfEveryNode() {
        PrometheusSamples before = PrometheusSamples.parse("""
                cachebus_cache_fallbacks_total{domain="workflows"} 2.0
                """);
        PrometheusSamples after = PrometheusSamples.parse("""
                cachebus_cache_fallbacks_total{domain="workflows"} 300.0
                cachebus_cache_fallbacks_total{domain="notifications"} 20.0
                cachebus_cache_l2_skipped_total{domain="workflows",reason="redis-pending"} 5.0
                cachebus_cache_lookups_total{domain="workflows",tier="L2_FALLBACK"} 41.0
                """);

        assertThat(MissCauses.between(List.of(before, PrometheusSamples.empty()), List.of(after, after))
                .readsWithoutRedis()).isEqualTo(298 + 20 + 5 + 320 + 5);
    }
}
