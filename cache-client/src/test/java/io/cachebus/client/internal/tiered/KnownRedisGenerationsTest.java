package io.cachebus.client.internal.tiered;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A generation read from Redis is remembered only if no scope was forgotten while the read was in flight: otherwise a
 * read that started before an invalidation's broadcast could bring back the generation it told the node to drop.
 */
class KnownRedisGenerationsTest {

    private final KnownRedisGenerations known = new KnownRedisGenerations(100, 100, Duration.ofMinutes(1));
    private final Scope entity = Scope.ofEntity("t1", "workflows", "w1");
    private final Scope collections = Scope.ofCollections("t1", "workflows");

    @Test
    void aReadInFlightAcrossAForgetRemembersNothing() {
        long epoch = known.readEpoch();
        known.forget(entity);

        known.remember(entity, 5, epoch);
        known.remember(collections, 7, epoch);

        assertThat(known.get(entity)).isNull();
        assertThat(known.get(collections)).as("any forget in flight, of any scope").isNull();
    }

    @Test
    void aForgetDropsWhatAReadBeforeItRemembered() {
        long epoch = known.readEpoch();
        known.remember(entity, 5, epoch);
        assertThat(known.get(entity)).isEqualTo(5);

        known.forget(entity);

        assertThat(known.get(entity)).isNull();
    }

    @Test
    void aReadAfterTheForgetIsRememberedAndGenerationsOnlyGrow() {
        known.forget(entity);
        long epoch = known.readEpoch();

        known.remember(entity, 6, epoch);
        known.remember(entity, 4, epoch);
        known.observe(collections, 9);
        known.observe(collections, 8);

        assertThat(known.get(entity)).isEqualTo(6);
        assertThat(known.get(collections)).isEqualTo(9);
    }

    @Test
    void forgettingAScopeNeverReadLeavesNothingBehind() {
        known.forget(entity);
        known.forget(collections);

        assertThat(known.trackedEntities()).isZero();
        assertThat(known.trackedScopes()).isZero();
    }
}
