package io.cachebus.client.internal.tiered;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.cachebus.client.CacheKey;
import io.cachebus.client.internal.consistency.ConsistencySampler;
import io.cachebus.client.internal.consistency.StalenessGate;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.TypeFactory;

/**
 * The staleness gate vouches for every eviction applied before it decides, so a read takes the local generations that
 * name its L1 entry only after the gate: an eviction that lands while the read is at the gate (its thread held up by a
 * busy CPU) must not leave the read looking up the entry that eviction retired.
 */
class GateBeforeGenerationsTest {

    private static final CacheKey ITEM = CacheKey.of("t1", "workflows").resource("/api/workflows/7").build();

    private final LocalInvalidation local = new LocalInvalidation(new LocalGenerations(100),
            new FallbackStore(100, Duration.ofMinutes(5)));
    /** Set: the next gate decision applies the write's eviction first, as the broadcast's thread would meanwhile. */
    private final AtomicBoolean evictionLandsAtTheGate = new AtomicBoolean();
    private final StalenessGate gate = scopes -> {
        if (evictionLandsAtTheGate.getAndSet(false)) {
            local.evictDomain("t1", "workflows");
        }
        return true;
    };
    private final DefaultTieredCache cache = new DefaultTieredCache(Caffeine.newBuilder().maximumSize(100).build(),
            local, null, new KnownRedisGenerations(100, Duration.ofMinutes(5)),
            new ReadYourWrites(Duration.ofSeconds(1)), new ValueCodec(JsonMapper.builder().build()),
            new CacheInstrumentation(new SimpleMeterRegistry(), List.of()),
            new ReadGuards(gate, null, null, ConsistencySampler.off(), Duration.ofSeconds(3)));

    @Test
    void aReadDoesNotServeTheEntryAnEvictionRetiredWhileTheGateDecided() {
        cache.get(ITEM, String.class, () -> "before the write");

        evictionLandsAtTheGate.set(true);
        String read = cache.get(ITEM, String.class, () -> "after the write");

        assertThat(read).isEqualTo("after the write");
    }

    @Test
    void aSplitLookupDoesNotFindTheEntryAnEvictionRetiredWhileTheGateDecided() {
        cache.get(ITEM, String.class, () -> "before the write");

        evictionLandsAtTheGate.set(true);
        DefaultTieredCache.PendingRead pending = cache.lookup(ITEM,
                TypeFactory.createDefaultInstance().constructType(String.class));

        assertThat(pending.cached()).isNull();
    }
}
