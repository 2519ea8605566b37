package io.cachebus.loadtest.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.localcluster.dataset.DatasetSpec;
import io.cachebus.localcluster.dataset.DatasetSummary;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DatasetTenantsTest {

    private static final DatasetSummary DATASET = new DatasetSummary(1_000, Map.of("workflows", 74_847L),
            DatasetSpec.standard(), false, 0);

    @Test
    void drawsDistinctTenantsOfTheDataset() {
        List<String> tenants = DatasetTenants.draw(DATASET, 20, 7);

        assertThat(tenants).hasSize(20).doesNotHaveDuplicates()
                .allSatisfy(tenant -> assertThat(tenant).matches("ds-\\d{5}"));
        assertThat(DatasetTenants.draw(DATASET, 20, 7)).as("the same seed, the same tenants").isEqualTo(tenants);
    }

    @Test
    void largeTenantsAreDrawnAsOftenAsZipfSays() {
        int largestDrawn = 0;
        int hundredthDrawn = 0;
        for (long seed = 0; seed < 200; seed++) {
            List<String> tenants = DatasetTenants.draw(DATASET, 5, seed);
            largestDrawn += tenants.contains(DatasetSpec.tenantId(1)) ? 1 : 0;
            hundredthDrawn += tenants.contains(DatasetSpec.tenantId(100)) ? 1 : 0;
        }
        // with exponent 1 over 1,000 tenants, rank 1 takes about 13 % of the draws and rank 100 about 0.13 %
        assertThat(largestDrawn).isGreaterThan(80);
        assertThat(hundredthDrawn).isLessThan(largestDrawn / 5);
    }

    @Test
    void askedForMoreTenantsThanTheDatasetHasItGivesEveryOne() {
        DatasetSummary small = new DatasetSummary(10, Map.of(), DatasetSpec.standard().withTenants(10), false, 0);

        assertThat(DatasetTenants.draw(small, 50, 1)).hasSize(10).doesNotHaveDuplicates();
    }

    @Test
    void excludedTenantsAreNeverDrawn() {
        Set<String> excluded = new HashSet<>(DatasetTenants.draw(DATASET, 100, 3));

        List<String> others = DatasetTenants.draw(DATASET, 100, 3, excluded);

        assertThat(others).hasSize(100).doesNotHaveDuplicates().doesNotContainAnyElementsOf(excluded);
    }

    @Test
    void dealtHandsAreDisjointAndEvenlySized() {
        List<List<String>> hands = DatasetTenants.deal(DATASET, 30, 2, 5, Set.of(DatasetSpec.tenantId(1)));

        assertThat(hands).hasSize(2).allSatisfy(hand -> assertThat(hand).hasSize(30).doesNotHaveDuplicates()
                .doesNotContain(DatasetSpec.tenantId(1)));
        assertThat(hands.get(0)).doesNotContainAnyElementsOf(hands.get(1));
    }

    @Test
    void aDatasetTooSmallForEveryHandDealsWhatItHas() {
        DatasetSummary small = new DatasetSummary(10, Map.of(), DatasetSpec.standard().withTenants(10), false, 0);

        List<List<String>> hands = DatasetTenants.deal(small, 8, 2, 1, Set.of(DatasetSpec.tenantId(2)));

        assertThat(hands.get(0)).hasSize(5);
        assertThat(hands.get(1)).hasSize(4).doesNotContainAnyElementsOf(hands.get(0));
    }
}
