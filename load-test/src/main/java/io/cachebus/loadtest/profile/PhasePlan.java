package io.cachebus.loadtest.profile;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * How long a profile's run takes on the local cluster: what its configuration fixes (warm-ups, measured load,
 * the read throughput search at its longest) plus the setup it cannot fix (starting the cluster, creating the
 * load's entities, filling Redis, producing the invalidator's backlog), taken from {@link SetupCosts}. The run
 * reports each phase's wall time ({@code phase_seconds}) beside it.
 *
 * @param clusterStart starting the local cluster, the standby baseline node included
 * @param phases       each phase's planned wall time, in the profile's order
 */
public record PhasePlan(Duration clusterStart, Map<PhaseKind, Duration> phases) {

    /** The kinds of read the read throughput phase searches: L1 hits, caching off, the ceiling endpoint. */
    static final int READ_KINDS = 3;

    public PhasePlan {
        phases = Collections.unmodifiableMap(new EnumMap<>(phases));
    }

    /**
     * What the setup of a run costs on the local cluster, per unit of the profile's configuration.
     *
     * @param clusterStart          Kafka, redis-server, the services' JVMs and the standby caching-off node, together
     * @param entitiesPerSecond     entities the load phase creates per second (its own tenants and the baseline's)
     * @param firstReadsPerSecond   reads per second of the load phase's first read of each entity and its derived data
     * @param redisFill             starting the prefix phase's redis-server and filling its keyspace
     * @param scanPerRepetition     one run of the {@code scan} strategy over the keyspace (the default's is ~1 ms)
     * @param backlogEventsPerSecond events per second of the invalidator backlog, produced and then worked off
     */
    public record SetupCosts(Duration clusterStart, double entitiesPerSecond, double firstReadsPerSecond,
            Duration redisFill,
            Duration scanPerRepetition, double backlogEventsPerSecond) {

        /**
         * Allowances on the 2-core machine of docs/benchmarks.md, to be checked against a quiet run's
         * {@code phase_seconds}: the cluster's start is the quiet run of 2026-12-05T21:14Z (31 s: Kafka, three API
         * nodes, an invalidator and the caching-off node, each JVM mapping its class data sharing archive; the first
         * run after a build writes the archives and starts as before, 57 s); entities are created 16 at a time at a
         * loaded write p50 (146 ms), about 100 a second, and read once 32 at a time, about 400 a second; the scan is its p50 (2.1 s over 1,000,002 keys); the backlog
         * is produced and then worked off at 12,000 events/s in all (quick's 80,000 events took 7.6 s at 21:40Z on JVMs
         * still compiling, full's 500,000 took 20.3 s at 19:59Z).
         */
        public static final SetupCosts TWO_CORES = new SetupCosts(Duration.ofSeconds(40), 100, 400,
                Duration.ofSeconds(3), Duration.ofMillis(2_200), 12_000);
    }

    /** The plan of {@code profile} with {@code setup}'s costs. */
    public static PhasePlan of(Profile profile, SetupCosts setup) {
        Map<PhaseKind, Duration> phases = new EnumMap<>(PhaseKind.class);
        for (PhaseKind kind : profile.phases()) {
            phases.put(kind, phase(kind, profile, setup));
        }
        return new PhasePlan(setup.clusterStart(), phases);
    }

    private static Duration phase(PhaseKind kind, Profile profile, SetupCosts setup) {
        switch (kind) {
            case LOAD: {
                Profile.Timing timing = profile.timing();
                // the load's entities and the baseline's as many again
                Duration creating = seconds(2.0 * profile.workload().entities() / setup.entitiesPerSecond());
                // then each of the load's entities read once, and its derived data
                Duration firstReads = seconds(2.0 * profile.workload().entities() / setup.firstReadsPerSecond());
                // after the load: the last propagation probes, then the nodes' samples settle (twice the bound + 1 s)
                Duration settle = Duration.ofMillis(2 * timing.boundMs()).plusSeconds(1);
                return creating.plus(firstReads).plus(timing.warmup().multipliedBy(2)).plus(timing.measure())
                        .plus(timing.baseline())
                        .plus(settle);
            }
            case READ_THROUGHPUT:
                return profile.throughput().longest(READ_KINDS);
            case PREFIX_INVALIDATION:
                return setup.redisFill().plus(setup.scanPerRepetition().multipliedBy(profile.prefix().repetitions()));
            case INVALIDATOR_THROUGHPUT:
                return seconds((double) (profile.invalidator().events() + profile.invalidator().warmupEvents())
                        / setup.backlogEventsPerSecond()).plus(profile.invalidator().warmupLimit());
            case HOT_DOMAIN_WRITES: {
                Profile.HotDomainWrites hot = profile.hotWrites();
                Duration creating = seconds((double) hot.writers() * hot.workflowsPerWriter() / setup.entitiesPerSecond());
                return creating.plus(hot.longest());
            }
            default:
                throw new IllegalArgumentException("no plan for phase " + kind + " on the local cluster");
        }
    }

    private static Duration seconds(double seconds) {
        return Duration.ofMillis(Math.round(seconds * 1000));
    }

    /** The phases' time, the cluster's start left out. */
    public Duration phasesTotal() {
        return phases.values().stream().reduce(Duration.ZERO, Duration::plus);
    }

    /** The whole run: the cluster's start and every phase. */
    public Duration total() {
        return clusterStart.plus(phasesTotal());
    }
}
