package io.cachebus.loadtest.profile;

/**
 * The measurements a profile runs, in this order. A new kind of measurement (the fault-injection phase of the
 * {@code chaos} profile, say) is a new constant here, its implementation in the bench runner, and a profile that
 * lists it.
 */
public enum PhaseKind {
    /**
     * Open-loop mixed load: read and write latency, propagation, stale reads, hit ratio; interleaved with the same
     * load on nodes that publish no invalidation, the write-latency baseline.
     */
    LOAD,
    /** Closed-loop saturation of hot reads, cached interleaved with caching off. */
    READ_THROUGHPUT,
    /** Redis prefix invalidation, {@code scan} against the default strategy, on a large keyspace of its own. */
    PREFIX_INVALIDATION,
    /**
     * Events per second one invalidator instance works off a backlog, with the coalescing ratio; with the profile's
     * {@code scaling}, also one instance against every instance of the group on the same kind of backlog.
     */
    INVALIDATOR_THROUGHPUT,
    /** Faults injected one at a time and then together under load; the local cluster only. */
    CHAOS,
    /**
     * Closed-loop writes of one (tenant, domain) by many concurrent writers, through the nodes' own ports and their
     * invalidation-off ports in alternating slices: one hot domain's write throughput with cachebus against without.
     */
    HOT_DOMAIN_WRITES
}
