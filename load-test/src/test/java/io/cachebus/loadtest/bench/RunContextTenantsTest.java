package io.cachebus.loadtest.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.loadtest.deployment.ApiNodes;
import io.cachebus.loadtest.deployment.ClusterTarget;
import io.cachebus.loadtest.deployment.InvalidatorControl;
import io.cachebus.loadtest.deployment.NodeMode;
import io.cachebus.loadtest.profile.Profile;
import io.cachebus.loadtest.profile.Profiles;
import io.cachebus.localcluster.dataset.DatasetSpec;
import io.cachebus.localcluster.dataset.DatasetSummary;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The load and its baseline on the realistic dataset: until 2026-12-06 both drew their tenants Zipf from the same
 * dataset, so they shared the largest ones, and the baseline's writes (which publish no invalidation) left the
 * measured nodes' lists and unread counts of those tenants stale.
 */
class RunContextTenantsTest {

    private static final DatasetSummary DATASET = new DatasetSummary(1_000, Map.of("workflows", 74_847L),
            DatasetSpec.standard(), false, 0);

    @Test
    void theLoadAndItsBaselineShareNoTenantAndBothGetLargeOnes() throws Exception {
        try (RunContext run = runOn(Profiles.full())) {
            run.dealTenants(200, LoadPhase.MEASURED, LoadPhase.BASELINE);
            List<String> measured = run.tenants(LoadPhase.MEASURED, 200);
            List<String> baseline = run.tenants(LoadPhase.BASELINE, 200);
            List<String> hot = run.tenants("h", 1);

            assertThat(measured).hasSize(200).doesNotHaveDuplicates().doesNotContainAnyElementsOf(baseline);
            assertThat(baseline).hasSize(200).doesNotHaveDuplicates();
            assertThat(hot).hasSize(1).doesNotContainAnyElementsOf(measured).doesNotContainAnyElementsOf(baseline);
            Set<String> largest = new HashSet<>(IntStream.rangeClosed(1, 10).mapToObj(DatasetSpec::tenantId).toList());
            assertThat(measured).as("the load gets some of the ten largest tenants").containsAnyElementsOf(largest);
            assertThat(baseline).as("and so does its baseline").containsAnyElementsOf(largest);
        }
    }

    @Test
    void kindsDrawnOneAfterTheOtherShareNoTenantEither() throws Exception {
        try (RunContext run = runOn(Profiles.quick())) {
            List<String> first = run.tenants("c", 100);

            assertThat(run.tenants("h", 50)).hasSize(50).doesNotContainAnyElementsOf(first);
            assertThat(run.tenants("c", 100)).as("a kind keeps its tenants").isEqualTo(first);
        }
    }

    private static RunContext runOn(Profile profile) {
        return new RunContext(new DatasetTarget(), profile, new PrintStream(OutputStream.nullOutputStream()));
    }

    /** A deployment whose database holds the dataset; the tenants are all this test asks of it. */
    private static final class DatasetTarget implements ClusterTarget {

        @Override
        public Optional<DatasetSummary> dataset() {
            return Optional.of(DATASET);
        }

        @Override
        public String description() {
            return "a dataset and nothing else";
        }

        @Override
        public List<URI> apiNodes() {
            return List.of(URI.create("http://127.0.0.1:9"));
        }

        @Override
        public Optional<ApiNodes> nodes(NodeMode mode) {
            return Optional.empty();
        }

        @Override
        public String bearerToken(String tenant) {
            return "unused";
        }

        @Override
        public Optional<String> kafkaBootstrapServers() {
            return Optional.empty();
        }

        @Override
        public Optional<InvalidatorControl> invalidators() {
            return Optional.empty();
        }

        @Override
        public void close() {
        }
    }
}
