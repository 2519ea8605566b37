package io.cachebus.loadtest.report;

/**
 * The names of the chaos profile's fields: the top-level ones and those of each entry of {@code faults}. The chaos
 * phase writes them, the Markdown summary reads them, docs/reliability.md explains them.
 */
public final class FaultFields {

    /** Top level: one entry per fault, in the order they were injected. */
    public static final String FAULTS = "faults";
    /** Top level: the staleness bound the API nodes enforce ({@code cachebus.consistency.max-staleness}). */
    public static final String MAX_STALENESS_BOUND_MS = "max_staleness_bound_ms";
    /** Top level: whether the nodes enforce it ({@code cachebus.consistency.enforce}). */
    public static final String STALENESS_BOUND_ENFORCED = "staleness_bound_enforced";
    /** How much staleness inside a fault's window is allowed beyond the nodes' bound: the harness's own slack. */
    public static final long WINDOW_STALENESS_SLACK_MS = 100;

    public static final String FAULT = "fault";
    public static final String CLIENT_ERRORS = "client_errors";
    public static final String LOST_INVALIDATIONS = "lost_invalidations";
    public static final String STALE_OUTSIDE_WINDOW = "stale_reads_beyond_bound_outside_window";
    /** The longest staleness of a read inside the window (the fault and the recovery load). */
    public static final String MAX_STALENESS_IN_WINDOW_MS = "max_staleness_ms_in_window";
    /** Whether that stayed within {@code max_staleness_bound_ms} + {@link #WINDOW_STALENESS_SLACK_MS}. */
    public static final String STALENESS_IN_WINDOW_MET = "max_staleness_in_window_within_bound";
    public static final String RECOVERY_MS = "recovery_ms";
    /** How long load ran in the window: the fault held, then the recovery load (the heal between them sends none). */
    public static final String WINDOW_MS = "window_ms";
    /** The arrival rate of the load during the fault. */
    public static final String WINDOW_OFFERED_RPS = "offered_rps_in_window";
    /** Database reads of every API node during the window. */
    public static final String DB_READS_IN_WINDOW = "db_reads_during_window";
    /** Of those, the reads sent through because a node could not show it was within its bound. */
    public static final String DB_READS_THROUGH_BOUND_IN_WINDOW = "db_reads_through_bound_during_window";
    /**
     * Database reads of steady load over as long as the window: the rate of the steady slices before and after the
     * fault, times the window's length.
     */
    public static final String DB_READS_STEADY = "db_reads_steady";

    private FaultFields() {
    }
}
