package io.cachebus.loadtest.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProfilesTest {

    @Test
    void profilesAreChosenByName() {
        assertThat(Profiles.names()).containsExactly("quick", "full", "cluster", "chaos");
        assertThat(Profiles.byName("quick").name()).isEqualTo("quick");
        assertThatThrownBy(() -> Profiles.byName("soak"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown profile 'soak'; known: quick, full, cluster, chaos");
    }

    @Test
    void quickAndFullRunEveryMeasurementAgainstTheSameBoundAndKeyspaceOnTheDemosCluster() {
        for (String name : List.of("quick", "full")) {
            Profile profile = Profiles.byName(name);
            assertThat(profile.phases()).containsExactly(PhaseKind.LOAD, PhaseKind.READ_THROUGHPUT,
                    PhaseKind.PREFIX_INVALIDATION, PhaseKind.INVALIDATOR_THROUGHPUT, PhaseKind.HOT_DOMAIN_WRITES);
            assertThat(profile.timing().boundMs()).isEqualTo(100);
            assertThat(profile.prefix().keyspace()).isEqualTo(1_000_000);
            assertThat(profile.prefix().keysUnderPrefix()).isEqualTo(1_000);
            assertThat(profile.local()).isEqualTo(Profile.LocalShape.standard());
            assertThat(profile.invalidator().scaling()).isFalse();
        }
    }

    @Test
    void theChaosProfileOnlyInjectsFaultsAgainstTheSameBound() {
        Profile chaos = Profiles.byName("chaos");
        assertThat(chaos.phases()).containsExactly(PhaseKind.CHAOS);
        assertThat(chaos.timing().boundMs()).isEqualTo(100);
    }

    @Test
    void theChaosProfileOverloadsTheClusterThreefoldForTenSecondsAndCutsANodeItDoesNotKillOffFromKafka() {
        Profile chaos = Profiles.chaos();
        assertThat(chaos.chaos().capacityRequestsPerSecond())
                .as("what docs/benchmarks.md states the local cluster sustains")
                .isEqualTo(Profiles.LOCAL_CLUSTER_CAPACITY_REQUESTS_PER_SECOND).isEqualTo(150);
        assertThat(chaos.chaos().overloadRequestsPerSecond()).isEqualTo(450);
        assertThat(chaos.chaos().overloadDuration()).isEqualTo(Duration.ofSeconds(10));
        assertThat(chaos.local().kafkaThroughProxy()).containsExactly("api-2")
                .doesNotContainAnyElementsOf(chaos.local().separateJvm());
        assertThatThrownBy(() -> new Profile.Chaos(150, 0, Duration.ofSeconds(10)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void clusterScalesOutRedisThePartitionsAndTheInvalidatorsAndMeasuresHowThroughputScales() {
        Profile cluster = Profiles.cluster();
        assertThat(cluster.local()).isEqualTo(new Profile.LocalShape(3, 3, 12, 3));
        assertThat(cluster.local().mutationPartitions()).as("every consumer thread of three instances gets work")
                .isGreaterThanOrEqualTo(cluster.local().invalidators() * 3);
        assertThat(cluster.invalidator().scaling()).isTrue();
        assertThat(cluster.invalidator().scopes()).as("the backlog reaches every partition")
                .isGreaterThanOrEqualTo(cluster.local().mutationPartitions() * 10);
        assertThat(cluster.phases()).containsExactly(PhaseKind.LOAD, PhaseKind.INVALIDATOR_THROUGHPUT);
        assertThat(cluster.timing().boundMs()).isEqualTo(100);
    }

    @Test
    void fullIsLongerAndHeavierThanQuick() {
        Profile quick = Profiles.quick();
        Profile full = Profiles.full();
        assertThat(full.workload().requestsPerSecond()).isGreaterThan(quick.workload().requestsPerSecond());
        assertThat(full.workload().entities()).isGreaterThan(quick.workload().entities());
        assertThat(full.timing().measure()).isGreaterThan(quick.timing().measure());
    }

    @Test
    void quickLoadPhasesLeaveRoomForClusterStartAndSetupInThreeMinutes() {
        Profile quick = Profiles.quick();
        // three kinds of read: L1 hits, caching off, the ceiling endpoint; then the hot domain's writes
        Duration load = quick.timing().warmup().multipliedBy(2).plus(quick.timing().measure())
                .plus(quick.timing().baseline()).plus(quick.throughput().longest(3)).plus(quick.hotWrites().longest());
        assertThat(quick.timing().measure().dividedBy(quick.timing().slices())).isGreaterThanOrEqualTo(
                Duration.ofSeconds(2));
        // the rest of three minutes: cluster start (~30 s here), creating entities, starting baseline nodes,
        // filling Redis with a million keys and the invalidator backlog
        assertThat(load).isLessThanOrEqualTo(Duration.ofSeconds(110));
    }

    @Test
    void theHotDomainIsWrittenByManyWritersInSlicesLongerInFullThanInQuick() {
        Profile quick = Profiles.quick();
        Profile full = Profiles.full();
        assertThat(quick.hotWrites().writers()).isBetween(16, 32);
        assertThat(full.hotWrites().writers()).isBetween(16, 32);
        assertThat(quick.hotWrites().measure().dividedBy(quick.hotWrites().slices()))
                .isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(full.hotWrites().measure()).isGreaterThan(quick.hotWrites().measure());
        assertThatThrownBy(() -> new Profile.HotDomainWrites(16, 4, Duration.ZERO, Duration.ZERO, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anotherRateChangesTheArrivalRateOnly() {
        Profile quick = Profiles.quick();
        double rate = quick.workload().requestsPerSecond() * 2;
        Profile faster = quick.withRequestsPerSecond(rate);

        assertThat(faster.workload().requestsPerSecond()).isEqualTo(rate);
        assertThat(faster).usingRecursiveComparison().ignoringFields("workload.requestsPerSecond").isEqualTo(quick);
    }

    @Test
    void namesAreSafeFileNames() {
        assertThatThrownBy(() -> new Profile("../x", "", null, null, null, null, null, null, null, java.util.List.of(), 1,
                null, null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
