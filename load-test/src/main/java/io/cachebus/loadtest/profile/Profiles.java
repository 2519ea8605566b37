package io.cachebus.loadtest.profile;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The built-in profiles, chosen by name. */
public final class Profiles {

    /** Every measurement of the performance profiles; the fault injection runs only in its own profile. */
    private static final List<PhaseKind> ALL_PHASES = List.of(PhaseKind.LOAD, PhaseKind.READ_THROUGHPUT,
            PhaseKind.PREFIX_INVALIDATION, PhaseKind.INVALIDATOR_THROUGHPUT, PhaseKind.HOT_DOMAIN_WRITES);
    private static final long SEED = 20_240_601L;
    private static final long STALENESS_BOUND_MS = 100;
    /** The p99 a node's read rate must keep to count: well above a read's own time, well below a user's patience. */
    private static final Duration P99_BUDGET = Duration.ofMillis(20);
    /**
     * A node's read rates: each kind probed saturated for 1.5 s, up to four times until its rate settles (the
     * warm-up, and where its search starts: half the saturated rate), then at most four 3 s steps (doubled twice at
     * most, bisected once), so a step at the lowest rate (250/s) holds 750 reads and its p99 rests on the 8 slowest
     * rather than the 4 of a 1.5 s step; then 2 s at the common rate for the CPU and database cost: at most 20 s a
     * kind of read on the local cluster.
     */
    private static final Profile.ReadThroughput QUICK_THROUGHPUT = new Profile.ReadThroughput(P99_BUDGET,
            Duration.ofSeconds(3), 250, 16_000, 1, Duration.ofSeconds(2), 50, Duration.ofMillis(1500));
    /**
     * What the local cluster sustains on two cores before requests queue, measured as {@link #full()} says (and
     * docs/benchmarks.md, "Why the rate is 150 requests/s").
     */
    static final double LOCAL_CLUSTER_CAPACITY_REQUESTS_PER_SECOND = 150;
    /** Three times the capacity for ten seconds: well past saturation, long enough for queues to build. */
    private static final Profile.Chaos OVERLOAD = new Profile.Chaos(LOCAL_CLUSTER_CAPACITY_REQUESTS_PER_SECOND, 3,
            Duration.ofSeconds(10));

    /**
     * Sixteen writers of one tenant's workflows, a warm-up of one 2 s round (the JIT compilers not waited for) and 4 s
     * measured in two slices on each kind of port: about 12 s of the quick profile.
     */
    private static final Profile.HotDomainWrites QUICK_HOT_WRITES = new Profile.HotDomainWrites(16, 4,
            Duration.ofSeconds(2), Duration.ZERO, Duration.ofSeconds(4), 2);

    private static final Map<String, Profile> BY_NAME = new LinkedHashMap<>();

    static {
        register(quick());
        register(full());
        register(cluster());
        register(chaos());
        register(writes());
        register(invalidator());
    }

    private Profiles() {
    }

    /** The profile named {@code name}; the error lists the known names. */
    public static Profile byName(String name) {
        Profile profile = BY_NAME.get(name);
        if (profile == null) {
            throw new IllegalArgumentException("unknown profile '" + name + "'; known: " + String.join(", ", names()));
        }
        return profile;
    }

    public static Set<String> names() {
        return BY_NAME.keySet();
    }

    private static void register(Profile profile) {
        if (BY_NAME.putIfAbsent(profile.name(), profile) != null) {
            throw new IllegalStateException("two profiles named " + profile.name());
        }
    }

    /**
     * Checks every change: all measurements, small, within three minutes on two cores, the cluster's start included
     * ({@link PhasePlan}).
     *
     * <p>The rate stays below what the local cluster sustains on two cores (see {@link #full()}); within two minutes
     * of a cold start the JIT compiler still takes about a third of the CPU, so quick runs lower than full.
     */
    public static Profile quick() {
        return new Profile("quick", "every measurement, briefly: checks a change in about three minutes on 2 cores",
                new Profile.Workload(20, 10, 1.0, 0.9, 0.1, 100, 256),
                new Profile.Timing(Duration.ofSeconds(3), Duration.ofSeconds(20), Duration.ofSeconds(8), 5,
                        STALENESS_BOUND_MS),
                new Profile.Propagation(Duration.ofMillis(100), Duration.ofMillis(1), Duration.ofSeconds(5), 2),
                QUICK_THROUGHPUT,
                new Profile.PrefixInvalidation(1_000_000, 1_000, 3),
                new Profile.InvalidatorThroughput(80_000, 200, Duration.ofSeconds(60), false, 0),
                Profile.LocalShape.standard(), ALL_PHASES, SEED, OVERLOAD, QUICK_HOT_WRITES);
    }

    /**
     * The figures for docs/benchmarks.md: more tenants and entities, a higher rate, longer phases, within 19 minutes
     * on two cores ({@link PhasePlan}: creating its 20,000 entities is the largest part after the measured load; the
     * hot-domain writes' warm-up may go on 45 s beyond its 3 s, the invalidator's 150 s, while the JIT compilers have
     * not settled).
     *
     * <p>The rate is below saturation on purpose. The load is open-loop: beyond capacity the queue grows for the
     * whole phase, and every latency, propagation and staleness figure measures that queue, not cachebus. The local
     * cluster (3 API nodes, invalidator, Kafka, Redis, H2 and the load driver in one JVM) on 2 cores, measured with
     * {@code ./cachebus bench --profile quick --rate R}: at 150 req/s the JVM used 1.75 cores, read p50/p99 13/76 ms,
     * no stale reads; at 200 req/s 1.87 cores, read p50/p99 33/260 ms, writes queueing and stale reads from slow
     * propagation; at 300 req/s read p50 110 ms, p99 730 ms. 1,000 req/s (this profile's earlier rate) only ever
     * sustained about 300 and reported 37 s of queue as latency.
     */
    public static Profile full() {
        return new Profile("full", "the published figures: more tenants, higher rate, longer phases",
                new Profile.Workload(200, 25, 1.0, 0.9, 0.1, 150, 1024),
                new Profile.Timing(Duration.ofSeconds(20), Duration.ofSeconds(180), Duration.ofSeconds(40), 6,
                        STALENESS_BOUND_MS),
                new Profile.Propagation(Duration.ofMillis(50), Duration.ofMillis(1), Duration.ofSeconds(5), 4),
                // probed for 3 s up to four times, then at most five 10 s steps (twice doubled or halved, twice
                // bisected): 2,500 reads or more a step
                new Profile.ReadThroughput(P99_BUDGET, Duration.ofSeconds(10), 250, 40_000, 2,
                        Duration.ofSeconds(15), 200, Duration.ofSeconds(3)),
                new Profile.PrefixInvalidation(1_000_000, 1_000, 7),
                // the published figure is a long-running instance's: backlogs of 100,000 events worked off first,
                // untimed, until the JVMs on the path have compiled what a backlog runs (at most 150 s: 40 s left
                // the compilers at a quarter of the CPU after the mixed load, the invalidator profile's cold JVMs
                // settled within 131 s; quick, a check, stays cold)
                new Profile.InvalidatorThroughput(500_000, 1_000, Duration.ofMinutes(3), false, 100_000,
                        Duration.ofSeconds(150)),
                Profile.LocalShape.standard(), ALL_PHASES, SEED, OVERLOAD,
                new Profile.HotDomainWrites(32, 4, Duration.ofSeconds(3), Duration.ofSeconds(45),
                        Duration.ofSeconds(20), 4));
    }

    /**
     * What a write's invalidation costs at saturation, alone: the {@code full} profile's hot-domain writes (32 writers
     * of one tenant's workflows) measured over 40 s in 8 slices rather than 20 s in 4, with every process's CPU per
     * write and per thread, in about eleven minutes at most with the cluster's start. For comparing changes to the
     * write path; the other measurements do not run. The JVMs start cold here: the JIT compilers took about a third
     * of the CPU through the first minute of each kind of port and fell to 5 % only after about 180 s, the write rates
     * rising all the while (1,336 writes/s with cachebus once they had settled, 766 after a fixed 30 s), so the
     * warm-up is 30 s of each kind at least and goes on until they have settled, for 240 s at most.
     */
    public static Profile writes() {
        Profile full = full();
        return new Profile("writes", "the write cost at saturation only: one hot (tenant, domain), with cachebus "
                + "and without, CPU per write of every process",
                full.workload(), full.timing(), full.propagation(), full.throughput(), full.prefix(), full.invalidator(),
                Profile.LocalShape.standard(), List.of(PhaseKind.HOT_DOMAIN_WRITES), SEED, OVERLOAD,
                new Profile.HotDomainWrites(32, 4, Duration.ofSeconds(30), Duration.ofSeconds(210),
                        Duration.ofSeconds(40), 8));
    }

    /**
     * What one invalidator instance works off, alone: the {@code full} profile's backlog of 500,000 events after
     * warm-up backlogs, with every process's CPU per 1,000 events and per thread, planned within six minutes with the
     * cluster's start ({@link PhasePlan}; 7 min 22 s measured on a busy machine, the warm-up's 240 s all used). For
     * comparing changes to the invalidation path (the invalidator, redis-server's bump, the nodes' eviction
     * listeners); the other measurements do not run. The JVMs start cold here, where full's earlier phases have run
     * them for ten minutes: five warm-up backlogs (90 s) left the JIT compilers at a third of the CPU and the timed
     * backlog at 18,859 events/s, against about 40,000 in full, so warm-up backlogs may go on for 240 s.
     */
    public static Profile invalidator() {
        Profile full = full();
        return new Profile("invalidator", "one invalidator instance working off full's backlog alone, after warm-up "
                + "backlogs; CPU per 1,000 events of every process and thread",
                full.workload(), full.timing(), full.propagation(), full.throughput(), full.prefix(),
                full.invalidator().withWarmupLimit(Duration.ofSeconds(240)),
                Profile.LocalShape.standard(), List.of(PhaseKind.INVALIDATOR_THROUGHPUT), SEED, OVERLOAD,
                full.hotWrites());
    }

    /**
     * Scale-out: a Redis Cluster of three primaries, twelve mutation partitions and three invalidator instances. The
     * mixed load runs on the cluster (staleness and propagation with L2 on Redis Cluster), and the invalidator backlog
     * is worked off by one instance and by all three. The Redis prefix measurement is left out: it runs on a
     * redis-server of its own and would repeat the other profiles' figure.
     */
    public static Profile cluster() {
        return new Profile("cluster", "scale-out: Redis Cluster of 3 primaries, 12 partitions, 3 invalidators; "
                + "invalidator throughput with 1 and 3 instances",
                new Profile.Workload(20, 10, 1.0, 0.9, 0.1, 300, 256),
                new Profile.Timing(Duration.ofSeconds(4), Duration.ofSeconds(25), Duration.ofSeconds(10), 5,
                        STALENESS_BOUND_MS),
                new Profile.Propagation(Duration.ofMillis(100), Duration.ofMillis(1), Duration.ofSeconds(5), 2),
                QUICK_THROUGHPUT,
                new Profile.PrefixInvalidation(1_000_000, 1_000, 3),
                new Profile.InvalidatorThroughput(100_000, 1_200, Duration.ofSeconds(90), true, 0),
                new Profile.LocalShape(3, 3, 12, 3),
                List.of(PhaseKind.LOAD, PhaseKind.INVALIDATOR_THROUGHPUT), SEED, OVERLOAD, QUICK_HOT_WRITES);
    }

    /**
     * Faults under a light load, one at a time and then overlapping; the invalidator and the API node that are killed
     * run in JVMs of their own, so they die by SIGKILL as a crashed process does, and the second API node reaches
     * Kafka through a proxy, so it can be cut off from Kafka alone: 3 s of steady load before and after each fault
     * ({@code warmup}), the fault held for 6 s ({@code measure}; the overload for its own 10 s at three times the
     * cluster's capacity), then the recovery. A few minutes in all.
     */
    public static Profile chaos() {
        return new Profile("chaos", "faults under load: Redis, Kafka, the invalidator, a node, an eviction subscription, "
                + "a node cut off from Kafka, overload",
                new Profile.Workload(10, 10, 0.8, 0.9, 0.1, 100, 128),
                new Profile.Timing(Duration.ofSeconds(3), Duration.ofSeconds(6), Duration.ZERO, 1, STALENESS_BOUND_MS),
                new Profile.Propagation(Duration.ofMillis(100), Duration.ofMillis(1), Duration.ofSeconds(5), 2),
                new Profile.ReadThroughput(P99_BUDGET, Duration.ofSeconds(1), 50, 50, 0, Duration.ofSeconds(1), 1),
                new Profile.PrefixInvalidation(1_000, 100, 1),
                new Profile.InvalidatorThroughput(1_000, 100, Duration.ofSeconds(10), false, 0),
                // the services the chaos phase crashes: its first invalidator and its last API node; and the node it
                // cuts off from Kafka
                Profile.LocalShape.standard().withSeparateJvm("invalidator-1", "api-3").withKafkaThroughProxy("api-2"),
                List.of(PhaseKind.CHAOS), SEED, OVERLOAD, QUICK_HOT_WRITES);
    }
}
