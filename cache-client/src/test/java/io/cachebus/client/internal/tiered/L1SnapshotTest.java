package io.cachebus.client.internal.tiered;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.cachebus.client.CacheKey;
import io.cachebus.client.internal.tiered.DefaultTieredCache.L1Entry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The view of L1 that tests and diagnostics get: every entry with the tenant, domain and resource it was stored for,
 * including entries a local eviction made unreachable (they stay until L1 drops them on its own).
 */
class L1SnapshotTest {

    @Test
    void reportsEveryEntryWithItsKeyIncludingThoseAnEvictionLeftUnreachable() {
        DefaultTieredCache cache = cache(Caffeine.newBuilder().maximumSize(100).build());
        CacheKey item = CacheKey.of("t1", "workflows").resource("/api/workflows/7").build();
        CacheKey steps = CacheKey.of("t1", "workflows").derived("steps").resource("/api/workflows/7/steps")
                .param("page", 1).build();
        CacheKey otherTenant = CacheKey.of("t10", "notifications").resource("/api/notifications").build();

        cache.get(item, String.class, () -> "before");
        cache.get(steps, String.class, () -> "steps");
        cache.get(otherTenant, String.class, () -> "other");
        cache.evictLocal("t1", "workflows");
        cache.get(item, String.class, () -> "after");

        assertThat(cache.l1Snapshot()).containsExactlyInAnyOrder(
                new L1Entry("t1", "workflows", "/api/workflows/7", "before"),
                new L1Entry("t1", "workflows", "/api/workflows/7/steps", "steps"),
                new L1Entry("t10", "notifications", "/api/notifications", "other"),
                new L1Entry("t1", "workflows", "/api/workflows/7", "after"));
    }

    @Test
    void aCacheWithoutL1SaysSoRatherThanShowingNothing() {
        assertThatThrownBy(() -> cache(null).l1Snapshot()).isInstanceOf(IllegalStateException.class);
    }

    private static DefaultTieredCache cache(Cache<String, Object> l1) {
        LocalInvalidation local = new LocalInvalidation(new LocalGenerations(100),
                new FallbackStore(100, Duration.ofMinutes(5)));
        return new DefaultTieredCache(l1, local, null, new KnownRedisGenerations(100, Duration.ofMinutes(5)),
                new ReadYourWrites(Duration.ofSeconds(1)), new ValueCodec(JsonMapper.builder().build()),
                new CacheInstrumentation(new SimpleMeterRegistry(), List.of()));
    }
}
