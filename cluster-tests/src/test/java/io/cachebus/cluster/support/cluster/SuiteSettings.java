package io.cachebus.cluster.support.cluster;

import java.time.Duration;

/** Settings of the suite that a run may change, as system properties (surefire passes the pom's properties on). */
public final class SuiteSettings {

    /** How long after a write's response any node may still serve the data from before it (invariant 1). */
    public static final String STALENESS_BOUND_PROPERTY = "cachebus.test.staleness-bound-ms";

    /**
     * Measured on a loaded two-core machine, propagation (write response to the last node's eviction) takes tens
     * of milliseconds, with outliers of a few hundred while a garbage collection or a build elsewhere runs: two
     * seconds leaves room for those while still failing a node that waits for its L1 to expire (30 s by default).
     */
    static final long DEFAULT_STALENESS_BOUND_MS = 2000;

    private SuiteSettings() {
    }

    public static Duration stalenessBound() {
        String configured = System.getProperty(STALENESS_BOUND_PROPERTY);
        long millis = configured == null || configured.isBlank() ? DEFAULT_STALENESS_BOUND_MS
                : Long.parseLong(configured.trim());
        if (millis < 1) {
            throw new IllegalArgumentException(STALENESS_BOUND_PROPERTY + " must be positive, was " + millis);
        }
        return Duration.ofMillis(millis);
    }
}
