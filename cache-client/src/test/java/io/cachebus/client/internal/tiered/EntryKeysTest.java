package io.cachebus.client.internal.tiered;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.client.CacheKey;
import io.lettuce.core.cluster.SlotHash;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EntryKeysTest {

    private final CacheKey stepsOfW1 = CacheKey.of("t1", "workflows").derived("steps").resource("/api/workflows/w1/steps")
            .dependsOn("notifications").build();

    @Test
    void scopesComeInTheContractsOrder() {
        assertThat(Scope.of(stepsOfW1)).containsExactly(
                Scope.ofDomain("t1", "workflows"),
                Scope.ofCollections("t1", "workflows"),
                new Scope("t1", "workflows", "steps"),
                Scope.ofDomain("t1", "notifications"),
                Scope.ofCollections("t1", "notifications"));
        assertThat(Scope.of(stepsOfW1).get(0).generationKey()).isEqualTo("cachebus:gen:{t1}:workflows");
        assertThat(Scope.of(stepsOfW1).get(1).generationKey()).isEqualTo("cachebus:gen:{t1}:workflows/collections");
        assertThat(Scope.of(stepsOfW1).get(2).generationKey()).isEqualTo("cachebus:gen:{t1}:workflows:steps");
    }

    /** An entity's entry depends on its domain and its entity instead of the domain's collections (ADR 0017). */
    @Test
    void anEntitysEntryDependsOnItsEntityNotOnTheCollections() {
        CacheKey stepsOfW2 = CacheKey.of("t1", "workflows").derived("steps").entity("w2")
                .resource("/api/workflows/w2/steps").build();

        assertThat(Scope.of(stepsOfW2)).containsExactly(
                Scope.ofDomain("t1", "workflows"),
                Scope.ofEntity("t1", "workflows", "w2"),
                new Scope("t1", "workflows", "steps"));
        assertThat(Scope.of(stepsOfW2).get(1).generationKey()).isEqualTo("cachebus:gen:{t1}:workflows/entity/w2");
        assertThat(Scope.ofEntity("t1", "workflows", "a b/c").generationKey())
                .as("an id that is not a plain name is a digest").matches("cachebus:gen:\\{t1}:workflows/entity/~[A-Za-z0-9_-]{32}");
        assertThat(EntryKeys.storageKey(stepsOfW2, new long[] {1, 2, 3}))
                .isNotEqualTo(EntryKeys.storageKey(CacheKey.of("t1", "workflows").derived("steps")
                        .resource("/api/workflows/w2/steps").build(), new long[] {1, 2, 3}));
    }

    /**
     * On Redis Cluster the MGET of the counters and the compare-and-set script (entry plus every counter) are
     * multi-key commands: everything one read touches must hash to one slot, by Lettuce's own routing function.
     */
    @Test
    void everythingOneReadAndItsCompareAndSetTouchLiesInOneSlot() {
        CacheKey joined = CacheKey.of("t1", "workflows").derived("steps").resource("/api/workflows/w1/steps")
                .dependsOn("notifications").dependsOn("t10").build();
        List<String> touched = new ArrayList<>();
        touched.add(EntryKeys.storageKey(joined, new long[] {3, 1, 7, 2}));
        Scope.of(joined).forEach(scope -> touched.add(scope.generationKey()));

        assertThat(touched).hasSize(8).extracting(SlotHash::getSlot).containsOnly(SlotHash.getSlot("{t1}"));
        assertThat(SlotHash.getSlot(EntryKeys.storageKey(
                CacheKey.of("t10", "workflows").resource("/api/workflows").build(), new long[] {0})))
                .as("another tenant's keys hash its own tag").isEqualTo(SlotHash.getSlot("{t10}"));
    }

    @Test
    void theHashChangesWhenAnyGenerationChanges() {
        Set<String> keys = new HashSet<>();
        keys.add(EntryKeys.storageKey(stepsOfW1, new long[] {0, 0, 0}));
        keys.add(EntryKeys.storageKey(stepsOfW1, new long[] {1, 0, 0}));
        keys.add(EntryKeys.storageKey(stepsOfW1, new long[] {0, 1, 0}));
        keys.add(EntryKeys.storageKey(stepsOfW1, new long[] {0, 0, 1}));
        keys.add(EntryKeys.storageKey(stepsOfW1, new long[] {10, 0, 0}));
        keys.add(EntryKeys.storageKey(stepsOfW1, new long[] {1, 0, 0, 0}));

        assertThat(keys).hasSize(6);
    }

    @Test
    void theHashIsStableAndTheKeyLiesUnderTheScopesPrefix() {
        String key = EntryKeys.storageKey(stepsOfW1, new long[] {3, 1, 7});

        assertThat(key).isEqualTo(EntryKeys.storageKey(stepsOfW1, new long[] {3, 1, 7}));
        assertThat(key).startsWith("tenant:t1:workflows:steps:");
        assertThat(key.substring("tenant:t1:workflows:steps:".length())).startsWith("{t1}")
                .hasSize("{t1}".length() + EntryKeys.HASH_LENGTH).matches("\\{t1}[A-Za-z0-9_-]+");
        CacheKey plain = CacheKey.of("t1", "workflows").resource("/api/workflows").build();
        assertThat(EntryKeys.storageKey(plain, new long[] {0})).startsWith("tenant:t1:workflows:")
                .doesNotStartWith("tenant:t1:workflows:steps:");
    }

    @Test
    void reorderedParametersShareOneStorageKey() {
        CacheKey one = CacheKey.of("t1", "workflows").resource("/r").param("a", 1).param("b", 2).build();
        CacheKey other = CacheKey.of("t1", "workflows").resource("/r").param("b", 2).param("a", 1).build();

        assertThat(EntryKeys.storageKey(one, new long[] {4})).isEqualTo(EntryKeys.storageKey(other, new long[] {4}));
        assertThat(List.of(EntryKeys.hash(one, new long[] {4}))).doesNotContain(EntryKeys.hash(one, new long[] {5}));
    }
}
