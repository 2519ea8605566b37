package io.cachebus.loadtest.measure;

/**
 * Database reads counted by one API node: every run of a cache loader ({@code cachebus.cache.loads}, exposed to
 * Prometheus as {@code cachebus_cache_loads_total}), and of those the reads sent to the database only because the
 * node could not show it was within its staleness bound ({@code cachebus.consistency.read.through}). The tiered
 * cache counts a load for every loader run, read-through ones included, so the loads are all the database reads and
 * the read-through count is a part of them, never added to them.
 *
 * @param loads       loader runs: database reads
 * @param readThrough of which sent through because of the staleness bound
 */
public record DatabaseReads(double loads, double readThrough) {

    public static final String LOADS_METRIC = "cachebus_cache_loads_total";
    public static final String READ_THROUGH_METRIC = "cachebus_consistency_read_through_total";
    public static final DatabaseReads NONE = new DatabaseReads(0, 0);

    /** The counters of one scrape of one node (0 for a counter the node has not registered yet). */
    public static DatabaseReads of(PrometheusSamples scrape) {
        return new DatabaseReads(scrape.sum(LOADS_METRIC), scrape.sum(READ_THROUGH_METRIC));
    }

    /**
     * The reads counted since {@code earlier}, a scrape of the same node. A counter lower than before means the node
     * restarted in between (a fault that kills it); what it counted since the restart is then all that is known.
     */
    public DatabaseReads since(DatabaseReads earlier) {
        return new DatabaseReads(delta(loads, earlier.loads), delta(readThrough, earlier.readThrough));
    }

    public DatabaseReads plus(DatabaseReads other) {
        return new DatabaseReads(loads + other.loads, readThrough + other.readThrough);
    }

    private static double delta(double now, double before) {
        return now >= before ? now - before : now;
    }
}
