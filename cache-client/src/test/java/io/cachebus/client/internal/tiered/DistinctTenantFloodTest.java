package io.cachebus.client.internal.tiered;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.cachebus.client.CacheKey;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * A flood of distinct tenants (each read once, then invalidated) must not grow a node's memory without bound:
 * L1, the in-memory fallback and every per-scope map stay at their configured maximum. No Redis, so the flood
 * reaches the fallback, as it does while Redis is down.
 */
class DistinctTenantFloodTest {

    private static final int TENANTS = 20_000;
    private static final long L1_MAX = 500;
    private static final long FALLBACK_MAX = 700;
    private static final long TRACKED_SCOPES_MAX = 1_000;

    @Test
    void everyBoundedMapStaysAtItsMaximumAndTheNewestTenantsStillWork() {
        Cache<String, Object> l1 = Caffeine.newBuilder().maximumSize(L1_MAX).build();
        LocalGenerations generations = new LocalGenerations(TRACKED_SCOPES_MAX);
        FallbackStore fallback = new FallbackStore(FALLBACK_MAX, Duration.ofMinutes(5));
        KnownRedisGenerations known = new KnownRedisGenerations(TRACKED_SCOPES_MAX, Duration.ofMinutes(5));
        LocalInvalidation local = new LocalInvalidation(generations, fallback);
        DefaultTieredCache cache = new DefaultTieredCache(l1, local, null, known, new ReadYourWrites(Duration.ofSeconds(1)),
                new ValueCodec(JsonMapper.builder().build()),
                new CacheInstrumentation(new SimpleMeterRegistry(), List.of()));

        for (int i = 0; i < TENANTS; i++) {
            String tenant = "flood-" + i;
            CacheKey key = CacheKey.of(tenant, "workflows").resource("/api/workflows").build();
            cache.get(key, String.class, () -> "v-" + tenant);
            cache.evictLocal(tenant, i % 2 == 0 ? "workflows" : "notifications");
            known.observe(Scope.ofDomain(tenant, "workflows"), i);
        }

        l1.cleanUp();
        assertThat(l1.estimatedSize()).as("L1 entries").isLessThanOrEqualTo(L1_MAX);
        assertThat(fallback.size()).as("fallback entries").isLessThanOrEqualTo(FALLBACK_MAX);
        assertThat(generations.trackedScopes()).as("local generations").isLessThanOrEqualTo(TRACKED_SCOPES_MAX);
        assertThat(known.trackedScopes()).as("known Redis generations").isLessThanOrEqualTo(TRACKED_SCOPES_MAX);

        String last = "flood-" + (TENANTS - 1);
        CacheKey lastKey = CacheKey.of(last, "workflows").resource("/api/workflows").build();
        // Under this pressure Caffeine's admission policy may drop even the newest entry or counter (a miss, never a
        // wrong answer), so the newest tenant must read its own value, from the cache or reloaded alike.
        assertThat(cache.get(lastKey, String.class, () -> "v-" + last)).as("the newest tenant still reads its own value")
                .isEqualTo("v-" + last);
        cache.evictLocal(last, "workflows");
        assertThat(cache.get(lastKey, String.class, () -> "reloaded")).as("and is still invalidated").isEqualTo("reloaded");
    }

    /**
     * Entities (ADR 0017) have maps of their own: a flood of distinct entities of one tenant, each read and then
     * written, keeps them at their bound and leaves the domain's generation, and with it every entry of the domain not
     * keyed by one of them, where it was. An eviction of an entity nobody read here adds nothing.
     */
    @Test
    void aFloodOfDistinctEntitiesStaysAtItsBoundAndNeverPushesOutTheDomainsGeneration() {
        long entitiesMax = 300;
        LocalGenerations generations = new LocalGenerations(TRACKED_SCOPES_MAX, entitiesMax);
        KnownRedisGenerations known = new KnownRedisGenerations(TRACKED_SCOPES_MAX, entitiesMax, Duration.ofMinutes(5));
        Scope domain = Scope.ofDomain("t1", "workflows");
        long domainGeneration = generations.current(domain);

        for (int i = 0; i < TENANTS; i++) {
            Scope entity = Scope.ofEntity("t1", "workflows", "w" + i);
            generations.current(entity);
            known.observe(entity, i);
            generations.bump(entity);
            generations.bump(Scope.ofEntity("t1", "workflows", "never-read-" + i));
        }

        assertThat(generations.trackedEntities()).as("local entity generations").isLessThanOrEqualTo(entitiesMax);
        assertThat(known.trackedEntities()).as("known entity generations").isLessThanOrEqualTo(entitiesMax);
        assertThat(generations.current(domain)).as("the domain's generation").isEqualTo(domainGeneration);
        assertThat(generations.trackedScopes()).isEqualTo(1);
    }
}
