package io.cachebus.loadtest.workload;

/**
 * The two domains of the reference API, and the value a harness write puts into an entity of each, so that a
 * later read shows which write it reflects.
 */
public enum Domain {

    /**
     * Workflows: a write sets {@code description} to {@code lt-<id>} of the write itself, so every write's value
     * is unique and a read names exactly the write it shows. Derived data: the workflow's steps.
     */
    WORKFLOWS("workflows") {
        @Override
        public long nextValue(long writeId, long previousValue) {
            return writeId;
        }

        @Override
        public boolean uniqueValues() {
            return true;
        }

        @Override
        public boolean derivedOfOneEntity() {
            return true;
        }
    },

    /**
     * Notifications: a write can only mark one read or unread, so the value is 1 (read) or 0 (unread), toggled
     * by every write so each one changes the entity. Derived data: the tenant's unread count.
     */
    NOTIFICATIONS("notifications") {
        @Override
        public long nextValue(long writeId, long previousValue) {
            return previousValue == 0 ? 1 : 0;
        }

        @Override
        public boolean uniqueValues() {
            return false;
        }

        @Override
        public boolean derivedOfOneEntity() {
            return false;
        }
    };

    private final String pathSegment;

    Domain(String pathSegment) {
        this.pathSegment = pathSegment;
    }

    /** The domain's name in cache keys and events, and its URL segment ({@code /api/workflows}). */
    public String pathSegment() {
        return pathSegment;
    }

    /** The value write {@code writeId} puts into an entity whose last written value was {@code previousValue}. */
    public abstract long nextValue(long writeId, long previousValue);

    /** Whether every write's value differs, so a read identifies the one write it shows. */
    public abstract boolean uniqueValues();

    /**
     * Whether the derived data the harness reads shows one entity (a workflow's steps) rather than many of the
     * tenant's (the unread count, which a write of any notification of the tenant changes).
     */
    public abstract boolean derivedOfOneEntity();
}
