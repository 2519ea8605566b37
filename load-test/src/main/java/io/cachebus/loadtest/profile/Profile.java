package io.cachebus.loadtest.profile;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything a benchmark run does, by name: the workload, how long each phase lasts, and what it measures.
 *
 * @param name        what {@code --profile} selects, and the report's file name
 * @param description one line for the report
 * @param workload    the open-loop load
 * @param timing      phase durations and the staleness bound
 * @param propagation how writes are sampled for propagation
 * @param throughput  the read throughput phase: one node's reads/s at a fixed p99
 * @param prefix      the Redis prefix invalidation phase
 * @param invalidator the invalidator throughput phase
 * @param local       the local cluster the harness starts when it is given no deployment to measure
 * @param phases      the phases to run, in order
 * @param seed        seeds every random choice, so a profile replays the same requests
 * @param chaos       the faults of the chaos phase that the profile sizes (the overload)
 * @param hotWrites   the hot domain write phase: one (tenant, domain)'s write throughput with and without cachebus
 */
public record Profile(
        String name,
        String description,
        Workload workload,
        Timing timing,
        Propagation propagation,
        ReadThroughput throughput,
        PrefixInvalidation prefix,
        InvalidatorThroughput invalidator,
        LocalShape local,
        List<PhaseKind> phases,
        long seed,
        Chaos chaos,
        HotDomainWrites hotWrites) {

    public Profile {
        Objects.requireNonNull(name, "name");
        if (!name.matches("[a-z0-9-]{1,32}")) {
            throw new IllegalArgumentException("profile names are lower-case letters, digits and '-': " + name);
        }
        phases = List.copyOf(phases);
    }

    /** This profile with another open-loop arrival rate, everything else the same. */
    public Profile withRequestsPerSecond(double requestsPerSecond) {
        Workload w = workload;
        return new Profile(name, description, new Workload(w.tenants(), w.entitiesPerDomain(), w.zipfExponent(),
                w.readRatio(), w.derivedShareOfReads(), requestsPerSecond, w.maxInFlight()), timing, propagation,
                throughput, prefix, invalidator, local, phases, seed, chaos, hotWrites);
    }

    /**
     * @param tenants             tenants, each with entities of both domains
     * @param entitiesPerDomain   entities per tenant and domain
     * @param zipfExponent        skew of the key popularity (about 1 is typical of web traffic)
     * @param readRatio           share of requests that are reads
     * @param derivedShareOfReads share of reads that go to derived data (steps, unread count)
     * @param requestsPerSecond   the fixed arrival rate
     * @param maxInFlight         cap on outstanding requests; beyond it, waiting shows as latency
     */
    public record Workload(int tenants, int entitiesPerDomain, double zipfExponent, double readRatio,
            double derivedShareOfReads, double requestsPerSecond, int maxInFlight) {

        public int entities() {
            return tenants * entitiesPerDomain * 2;
        }
    }

    /**
     * The measured load and its baseline run in alternating slices ({@code measure / slices} on the normal nodes,
     * then {@code baseline / slices} on the baseline nodes, and so on), so both see the same machine: the same JIT
     * state, the same garbage collector, the same neighbours.
     *
     * @param warmup   load before measuring, on each set of nodes, so JIT, pools and caches settle
     * @param measure  the measured load on the normal nodes, in all
     * @param baseline the load on nodes with invalidation off, in all
     * @param slices   how many slices each is cut into
     * @param boundMs  the staleness bound reads are judged against
     */
    public record Timing(Duration warmup, Duration measure, Duration baseline, int slices, long boundMs) {

        public Timing {
            if (slices < 1) {
                throw new IllegalArgumentException("at least one slice");
            }
        }
    }

    /**
     * @param spacing       at most one probe starts per spacing
     * @param pollInterval  pause between two polls of one node
     * @param timeout       a probe gives up (and records this) after
     * @param maxConcurrent probes at once
     */
    public record Propagation(Duration spacing, Duration pollInterval, Duration timeout, int maxConcurrent) {
    }

    /**
     * One API node's reads per second at a fixed p99, for each kind of read (L1 hits, caching off, the ceiling
     * endpoint): open-loop steps at rising offered rates, latency from each request's intended send time, the rate
     * doubled while the p99 stays within the budget, then bisected between the last rate that held and the first that
     * did not. Then each kind runs once more at one common rate, for its CPU and database cost per request.
     *
     * <p>With a {@code probe}, each kind is first offered {@code maxRps} (its in-flight cap then makes the load
     * closed) for that long: what it completes is its saturated rate, which is not a figure, only where the search
     * starts ({@link #PROBE_START_SHARE} of it) and, every kind probed before any is measured, the warm-up. The search
     * then needs few steps, so each can be long enough for its p99 to rest on many reads. Without a probe every kind
     * is warmed up at {@code startRps} for two steps and the search starts there.
     *
     * @param p99Budget   the p99 a rate must keep (with no error, and the rate achieved) to count as sustained
     * @param step        how long each offered rate runs
     * @param startRps    the first offered rate; after a probe, the lowest the search starts at
     * @param maxRps      no rate above this is offered
     * @param refinements bisections after the doubling stopped (halvings when the start rate already fails)
     * @param sameLoad    how long each kind of read runs at the common rate (its first second is not counted)
     * @param hotEntities workflows read, taken evenly over the tenants (the rate limits hold per tenant)
     * @param probe       how long each kind's saturated rate is probed; zero for no probe
     */
    public record ReadThroughput(Duration p99Budget, Duration step, double startRps, double maxRps, int refinements,
            Duration sameLoad, int hotEntities, Duration probe) {

        /** Where a probed search starts, as a share of the saturated rate: one doubling reaches saturation. */
        public static final double PROBE_START_SHARE = 0.5;
        /**
         * Doublings a probed search may make: from half the saturated rate, two reach twice it, which no rate that
         * keeps a p99 budget exceeds.
         */
        public static final int PROBED_DOUBLINGS = 2;
        /** Halvings a search whose first step fails may make before it gives up on finding a rate that holds. */
        public static final int MAX_HALVINGS = 2;
        /**
         * Probes a kind may take before its search: a node that has not served this kind of read yet (the caching-off
         * twin, just thawed) completes few or none in its first probe while it compiles the path, so probes repeat
         * until one completes no more than {@link #SETTLED_GAIN} over the one before.
         */
        public static final int MAX_PROBES = 4;
        /** The growth from one probe to the next below which a kind's saturated rate has settled. */
        public static final double SETTLED_GAIN = 0.1;

        public ReadThroughput {
            if (!(startRps > 0) || maxRps < startRps) {
                throw new IllegalArgumentException("rates must be positive, the start at most the maximum: " + startRps
                        + ", " + maxRps);
            }
            if (refinements < 0) {
                throw new IllegalArgumentException("refinements must not be negative, was " + refinements);
            }
            if (probe.isNegative()) {
                throw new IllegalArgumentException("the probe must not be negative, was " + probe);
            }
        }

        /** Warmed up at the start rate, no probe. */
        public ReadThroughput(Duration p99Budget, Duration step, double startRps, double maxRps, int refinements,
                Duration sameLoad, int hotEntities) {
            this(p99Budget, step, startRps, maxRps, refinements, sameLoad, hotEntities, Duration.ZERO);
        }

        public boolean probes() {
            return !probe.isZero();
        }

        /**
         * The most steps one search can take: the start, then every doubling up to the maximum (after a probe, at most
         * {@link #PROBED_DOUBLINGS}) or, when the start fails, up to {@link #MAX_HALVINGS} halvings; then the
         * bisections.
         */
        public int maxSteps() {
            int doublings = 0;
            for (double rate = startRps; rate < maxRps; rate *= 2) {
                doublings++;
            }
            int upOrDown = Math.max(probes() ? Math.min(doublings, PROBED_DOUBLINGS) : doublings, MAX_HALVINGS);
            return 1 + upOrDown + refinements;
        }

        /**
         * The longest the phase can take for {@code kinds} kinds of read: the warm-up (the probes, or two steps), the
         * search, the common rate.
         */
        public Duration longest(int kinds) {
            Duration warmUp = probes() ? probe.multipliedBy(MAX_PROBES) : step.multipliedBy(2);
            return warmUp.plus(step.multipliedBy(maxSteps())).plus(sameLoad).multipliedBy(kinds);
        }
    }

    /**
     * @param keyspace        keys in Redis in all
     * @param keysUnderPrefix of which under the invalidated prefix
     * @param repetitions     invalidations per strategy (the p50 is reported)
     */
    public record PrefixInvalidation(int keyspace, int keysUnderPrefix, int repetitions) {
    }

    /**
     * @param events       events in the backlog
     * @param scopes       distinct (tenant, domain) pairs they are spread over, which sets how much coalescing can do
     * @param timeout      how long the invalidators may take to cover the backlog before the phase fails
     * @param scaling      also work the same backlog off with one instance and with every instance of the group, to
     *                     report how throughput scales with instances (needs control over several invalidators)
     * @param warmupEvents events of a backlog of the same shape worked off first and not timed in the figure (0: none):
     *                     what every JVM on the path compiles for a backlog (the invalidator's batches, the broker's
     *                     fetches and appends, the nodes' decoding of large broadcasts) is compiled before the timed
     *                     backlog, as a long-running deployment has it; its throughput is reported beside the figure
     * @param warmupLimit  how long warm-up backlogs go on, one after another, while the JIT compilers of the target's
     *                     JVMs have not settled (zero: one warm-up backlog): a single backlog of 100,000 events left
     *                     them a quarter of the shared CPU's time during the timed one
     */
    public record InvalidatorThroughput(int events, int scopes, Duration timeout, boolean scaling, int warmupEvents,
            Duration warmupLimit) {

        public InvalidatorThroughput {
            if (warmupEvents < 0) {
                throw new IllegalArgumentException("warmupEvents must not be negative");
            }
            if (warmupLimit.isNegative()) {
                throw new IllegalArgumentException("warmupLimit must not be negative");
            }
        }

        /** At most one warm-up backlog. */
        public InvalidatorThroughput(int events, int scopes, Duration timeout, boolean scaling, int warmupEvents) {
            this(events, scopes, timeout, scaling, warmupEvents, Duration.ZERO);
        }

        /** The same backlogs, with warm-up backlogs going on for at most {@code limit}. */
        public InvalidatorThroughput withWarmupLimit(Duration limit) {
            return new InvalidatorThroughput(events, scopes, timeout, scaling, warmupEvents, limit);
        }
    }

    /**
     * Write throughput of one hot (tenant, domain): {@code writers} closed-loop clients, each with workflows of its
     * own (so no two wait on one row), all of one tenant, PATCH them as fast as the nodes answer; once through the
     * nodes' own ports and once through their invalidation-off ports, on the same JVMs, in alternating slices
     * ({@code measure / slices} of each, the order swapped every slice) after a warm-up in rounds of a slice of each:
     * {@code warmup} of each at least, then on until the JIT compilers of the target's JVMs have settled, at most
     * {@code settleLimit} more.
     *
     * @param writers            concurrent writers, spread over the API nodes
     * @param workflowsPerWriter workflows each writer cycles through
     * @param warmup             writes on each kind of port before measuring, at least (zero: none)
     * @param settleLimit        how much longer the warm-up may go on, on each kind of port, while the JIT compilers
     *                           still take more than a small share of the target's CPU (zero: not waited for)
     * @param measure            the measured writes on each kind of port, in all
     * @param slices             how many slices each is cut into
     */
    public record HotDomainWrites(int writers, int workflowsPerWriter, Duration warmup, Duration settleLimit,
            Duration measure, int slices) {

        public HotDomainWrites {
            if (writers < 1 || workflowsPerWriter < 1 || slices < 1) {
                throw new IllegalArgumentException("at least one writer, one workflow each and one slice");
            }
            if (warmup.isNegative() || settleLimit.isNegative() || measure.isNegative() || measure.isZero()) {
                throw new IllegalArgumentException("the warm-up and its limit must not be negative, the measure "
                        + "positive");
            }
        }

        /** One slice of each kind of port: the measure's, and the warm-up's rounds. */
        public Duration slice() {
            return measure.dividedBy(slices);
        }

        /**
         * The longest the phase's writing takes: the warm-up to its limit (in whole slices) and the measure, on both
         * kinds of port.
         */
        public Duration longest() {
            Duration limit = warmup.plus(settleLimit);
            long rounds = (limit.toNanos() + slice().toNanos() - 1) / slice().toNanos();
            return slice().multipliedBy(rounds).plus(measure).multipliedBy(2);
        }
    }

    /**
     * The overload fault of the chaos phase: an offered load of {@code overloadMultiplier} times the cluster's
     * capacity for {@code overloadDuration}, where nodes stay within their staleness bound by reading through to
     * the database only as far as their read-through bulkhead lets them.
     *
     * @param capacityRequestsPerSecond what the local cluster sustains before requests queue (docs/benchmarks.md:
     *                                  150 requests/s on 2 cores)
     * @param overloadMultiplier        the offered load during the overload, in multiples of the capacity
     * @param overloadDuration          how long the overload lasts
     */
    public record Chaos(double capacityRequestsPerSecond, double overloadMultiplier, Duration overloadDuration) {

        public Chaos {
            if (capacityRequestsPerSecond <= 0 || overloadMultiplier <= 0 || overloadDuration.isNegative()
                    || overloadDuration.isZero()) {
                throw new IllegalArgumentException("the capacity, multiplier and duration of an overload are positive");
            }
        }

        /** The offered load during the overload. */
        public double overloadRequestsPerSecond() {
            return capacityRequestsPerSecond * overloadMultiplier;
        }
    }

    /**
     * The shape of the local cluster (API nodes and invalidators are Spring contexts in the harness's JVM, unless
     * {@code separateJvm} names them).
     *
     * @param apiNodes              API nodes
     * @param invalidators          invalidator instances in one consumer group
     * @param mutationPartitions    partitions of the mutation topic
     * @param redisClusterPrimaries 0: one redis-server; more: a Redis Cluster of that many primaries
     * @param separateJvm           services ({@code api-3}, {@code invalidator-1}) that run in a JVM of their own,
     *                              so a fault can kill them with SIGKILL
     * @param kafkaThroughProxy     API nodes ({@code api-2}) that reach Kafka only through a proxy, so a fault can cut
     *                              them off from Kafka alone
     */
    public record LocalShape(int apiNodes, int invalidators, int mutationPartitions, int redisClusterPrimaries,
            Set<String> separateJvm, Set<String> kafkaThroughProxy) {

        public LocalShape {
            separateJvm = Set.copyOf(separateJvm);
            kafkaThroughProxy = Set.copyOf(kafkaThroughProxy);
        }

        /** Every service in the harness's JVM, every one connected to Kafka directly. */
        public LocalShape(int apiNodes, int invalidators, int mutationPartitions, int redisClusterPrimaries) {
            this(apiNodes, invalidators, mutationPartitions, redisClusterPrimaries, Set.of(), Set.of());
        }

        public LocalShape withSeparateJvm(String... services) {
            return new LocalShape(apiNodes, invalidators, mutationPartitions, redisClusterPrimaries, Set.of(services),
                    kafkaThroughProxy);
        }

        public LocalShape withKafkaThroughProxy(String... nodes) {
            return new LocalShape(apiNodes, invalidators, mutationPartitions, redisClusterPrimaries, separateJvm,
                    Set.of(nodes));
        }

        /** Three API nodes, one invalidator, six partitions, one redis-server: the demo's cluster. */
        public static LocalShape standard() {
            return new LocalShape(3, 1, 6, 0);
        }
    }
}
