package io.cachebus.client.internal.tiered;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.client.CacheKey;
import io.cachebus.client.Tier;
import io.cachebus.client.event.CacheEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The lookups counter a read finds without asking the registry: each (domain, tier) still counts on its own meter, and
 * listeners still hear every lookup.
 */
class CacheInstrumentationTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void everyDomainAndTierCountsOnItsOwnMeterAcrossRepeatedLookups() {
        CacheInstrumentation instrumentation = new CacheInstrumentation(registry, List.of());
        CacheKey workflows = CacheKey.of("t1", "workflows").resource("/api/workflows").build();
        CacheKey notifications = CacheKey.of("t2", "notifications").resource("/api/notifications").build();

        for (int i = 0; i < 3; i++) {
            instrumentation.lookup(workflows, Tier.L1, System.nanoTime());
        }
        instrumentation.lookup(workflows, Tier.LOADER, System.nanoTime());
        for (int i = 0; i < 2; i++) {
            instrumentation.lookup(notifications, Tier.L1, System.nanoTime());
        }
        instrumentation.lookup(notifications, Tier.L2_FALLBACK, System.nanoTime());

        assertThat(lookups("workflows", Tier.L1)).isEqualTo(3);
        assertThat(lookups("workflows", Tier.LOADER)).isEqualTo(1);
        assertThat(lookups("workflows", Tier.L2_FALLBACK)).isZero();
        assertThat(lookups("notifications", Tier.L1)).isEqualTo(2);
        assertThat(lookups("notifications", Tier.L2_FALLBACK)).isEqualTo(1);
        assertThat(lookups("notifications", Tier.LOADER)).isZero();
    }

    @Test
    void listenersHearEveryLookupWithItsKeyAndTier() {
        List<CacheEvent> heard = new ArrayList<>();
        CacheInstrumentation instrumentation = new CacheInstrumentation(registry, List.of(heard::add));
        CacheKey key = CacheKey.of("t1", "workflows").resource("/api/workflows").build();

        instrumentation.lookup(key, Tier.L1, System.nanoTime());
        instrumentation.lookup(key, Tier.LOADER, System.nanoTime());

        assertThat(heard).hasSize(2).allSatisfy(event -> assertThat(event).isInstanceOf(CacheEvent.Lookup.class));
        assertThat(heard).extracting(event -> ((CacheEvent.Lookup) event).tier()).containsExactly(Tier.L1, Tier.LOADER);
        assertThat(heard).extracting(event -> ((CacheEvent.Lookup) event).key()).containsOnly(key);
    }

    private double lookups(String domain, Tier tier) {
        var counter = registry.find(CacheInstrumentation.LOOKUPS).tags("domain", domain, "tier",
                CacheInstrumentation.tierTag(tier)).counter();
        return counter == null ? 0 : counter.count();
    }
}
