package io.cachebus.localcluster.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DatasetSpecTest {

    @Test
    void theStandardDatasetHasAThousandTenantsTheLargestWithTenThousandWorkflowsAndTwoHundredThousandNotifications() {
        DatasetSpec spec = DatasetSpec.standard();

        assertThat(spec.tenants()).isEqualTo(1_000);
        assertThat(spec.sizeAt(1, spec.largestTenantWorkflows())).isEqualTo(10_000);
        assertThat(spec.sizeAt(1, spec.largestTenantNotifications())).isEqualTo(200_000);
        assertThat(spec.stepsPerWorkflow()).isEqualTo(5);
        assertThat(spec.zipfExponent()).isEqualTo(1.0);
    }

    @Test
    void sizesFallWithRankAsZipfSaysAndNeverBelowOne() {
        DatasetSpec spec = DatasetSpec.standard();

        assertThat(spec.sizeAt(2, 10_000)).isEqualTo(5_000);
        assertThat(spec.sizeAt(1_000, 10_000)).isEqualTo(10);
        assertThat(spec.sizeAt(1_000, 100)).isEqualTo(1);
    }

    @Test
    void anotherSpecIsAnotherDataset() {
        assertThat(DatasetSpec.standard().marker()).isNotEqualTo(DatasetSpec.standard().withTenants(999).marker())
                .isEqualTo(DatasetSpec.standard().marker());
    }
}
