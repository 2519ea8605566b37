package io.cachebus.loadtest.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProfilesTest {

    @Test
    void profilesAreChosenByName() {
        assertThat(Profiles.names()).containsExactly("quick", "full", "cluster", "chaos", "writes", "invalidator");
        assertThat(Profiles.byName("quick").name()).isEqualTo("quick");
        assertThatThrownBy(() -> Profiles.byName("soak"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown profile 'soak'; known: quick, full, cluster, chaos, writes, invalidator");
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
    void quickIsPlannedWithinThreeMinutesWithTheClusterStart() {
        Profile quick = Profiles.quick();
        PhasePlan plan = PhasePlan.of(quick, PhasePlan.SetupCosts.TWO_CORES);

        assertThat(plan.phases().keySet()).containsExactlyElementsOf(quick.phases());
        assertThat(quick.timing().measure().dividedBy(quick.timing().slices())).isGreaterThanOrEqualTo(
                Duration.ofSeconds(2));
        assertThat(plan.total()).isLessThanOrEqualTo(Duration.ofMinutes(3));
    }

    @Test
    void fullIsPlannedWithinNineteenAndAHalfMinutesWithTheClusterStart() {
        PhasePlan plan = PhasePlan.of(Profiles.full(), PhasePlan.SetupCosts.TWO_CORES);

        assertThat(plan.total()).isLessThanOrEqualTo(Duration.ofSeconds(19 * 60 + 30));
    }

    @Test
    void thePlanCountsTheInvalidatorWarmUpBacklog() {
        PhasePlan.SetupCosts setup = new PhasePlan.SetupCosts(Duration.ofSeconds(50), 400, 800,
                Duration.ofSeconds(3), Duration.ofSeconds(2), 10_000);

        // 100,000 events of the warm-up and 500,000 timed at 10,000/s, then the warm-up's limit of 150 s (more
        // backlogs while the JIT compilers have not settled)
        assertThat(PhasePlan.of(Profiles.full(), setup).phases().get(PhaseKind.INVALIDATOR_THROUGHPUT))
                .isEqualTo(Duration.ofSeconds(60 + 150));
    }

    @Test
    void thePlanCountsEveryConfiguredSecondOfEachPhase() {
        Profile quick = Profiles.quick();
        PhasePlan.SetupCosts setup = new PhasePlan.SetupCosts(Duration.ofSeconds(50), 400, 800,
                Duration.ofSeconds(3),
                Duration.ofSeconds(2), 10_000);
        PhasePlan plan = PhasePlan.of(quick, setup);

        // 800 entities at 400/s, 800 first reads at 800/s, two warm-ups of 3 s, 20 s measured, 8 s baseline, 1.2 s for
        // the samples to settle
        assertThat(plan.phases().get(PhaseKind.LOAD)).isEqualTo(Duration.ofMillis(2_000 + 1_000 + 6_000 + 20_000
                + 8_000 + 1_200));
        // three kinds: at most four 1.5 s probes, at most four 3 s steps, 2 s at the common rate
        assertThat(plan.phases().get(PhaseKind.READ_THROUGHPUT)).isEqualTo(Duration.ofMillis(3 * (4 * 1_500 + 12_000
                + 2_000)));
        assertThat(plan.phases().get(PhaseKind.PREFIX_INVALIDATION)).isEqualTo(Duration.ofSeconds(3 + 3 * 2));
        // 80,000 events at 10,000/s
        assertThat(plan.phases().get(PhaseKind.INVALIDATOR_THROUGHPUT)).isEqualTo(Duration.ofSeconds(8));
        // 16 writers' 4 workflows each at 400/s, then 2 s warm-up and 4 s measured on each kind of port
        assertThat(plan.phases().get(PhaseKind.HOT_DOMAIN_WRITES)).isEqualTo(Duration.ofMillis(160 + 2 * (2_000
                + 4_000)));
        assertThat(plan.total()).isEqualTo(Duration.ofSeconds(50).plus(plan.phasesTotal()));
    }

    @Test
    void aProbedSearchTakesFewerStepsThanOneDoublingFromTheStartRate() {
        Profile.ReadThroughput probed = Profiles.quick().throughput();
        Profile.ReadThroughput unprobed = new Profile.ReadThroughput(probed.p99Budget(), probed.step(),
                probed.startRps(), probed.maxRps(), probed.refinements(), probed.sameLoad(), probed.hotEntities());

        assertThat(probed.probes()).isTrue();
        // from 250/s: 500, 1,000, 2,000, 4,000, 8,000, 16,000 without a probe; two doublings after one
        assertThat(unprobed.maxSteps()).isEqualTo(1 + 6 + 1);
        assertThat(probed.maxSteps()).isEqualTo(1 + Profile.ReadThroughput.PROBED_DOUBLINGS + 1);
        assertThat(probed.step().toMillis() * probed.startRps() / 1000).as("reads in a step at the lowest rate")
                .isGreaterThanOrEqualTo(750);
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
        assertThatThrownBy(() -> new Profile.HotDomainWrites(16, 4, Duration.ZERO, Duration.ZERO, Duration.ZERO, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theHotDomainsLongestCountsTheWarmUpToItsLimitInWholeSlices() {
        Profile.HotDomainWrites hot = new Profile.HotDomainWrites(32, 4, Duration.ofSeconds(3),
                Duration.ofSeconds(60), Duration.ofSeconds(20), 4);

        // slices of 5 s: 63 s of warm-up at most is 13 rounds, 65 s, then 20 s measured, on each kind of port
        assertThat(hot.longest()).isEqualTo(Duration.ofSeconds(2 * (65 + 20)));
        assertThatThrownBy(() -> new Profile.HotDomainWrites(16, 4, Duration.ZERO, Duration.ofSeconds(-1),
                Duration.ofSeconds(4), 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void writesRunsFullsHotDomainWritersAloneOverMoreSlicesAfterALongerWarmUpWithinElevenMinutes() {
        Profile writes = Profiles.writes();
        Profile.HotDomainWrites full = Profiles.full().hotWrites();

        assertThat(writes.phases()).containsExactly(PhaseKind.HOT_DOMAIN_WRITES);
        assertThat(writes.hotWrites().writers()).isEqualTo(full.writers());
        assertThat(writes.hotWrites().workflowsPerWriter()).isEqualTo(full.workflowsPerWriter());
        assertThat(writes.hotWrites().slices()).isGreaterThan(full.slices());
        assertThat(writes.hotWrites().measure().dividedBy(writes.hotWrites().slices()))
                .isEqualTo(full.measure().dividedBy(full.slices()));
        assertThat(writes.hotWrites().warmup()).as("cold JVMs: nothing ran before").isGreaterThan(full.warmup());
        assertThat(writes.hotWrites().settleLimit()).as("cold JVMs compile for minutes")
                .isGreaterThan(full.settleLimit());
        assertThat(PhasePlan.of(writes, PhasePlan.SetupCosts.TWO_CORES).total())
                .isLessThanOrEqualTo(Duration.ofMinutes(11));
    }

    @Test
    void invalidatorRunsFullsBacklogAloneWithALongerWarmUpWithinSixMinutes() {
        Profile invalidator = Profiles.invalidator();
        Profile.InvalidatorThroughput full = Profiles.full().invalidator();

        assertThat(invalidator.phases()).containsExactly(PhaseKind.INVALIDATOR_THROUGHPUT);
        assertThat(invalidator.invalidator()).usingRecursiveComparison().ignoringFields("warmupLimit").isEqualTo(full);
        assertThat(invalidator.invalidator().warmupLimit()).as("cold JVMs: nothing ran before")
                .isGreaterThan(full.warmupLimit());
        assertThat(invalidator.local()).isEqualTo(Profiles.full().local());
        assertThat(PhasePlan.of(invalidator, PhasePlan.SetupCosts.TWO_CORES).total())
                .isLessThanOrEqualTo(Duration.ofMinutes(6));
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
