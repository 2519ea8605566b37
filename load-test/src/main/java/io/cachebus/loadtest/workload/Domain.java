package io.cachebus.loadtest.workload;

/** The two domains of the reference API, with where the harness writes its marker in each. */
public enum Domain {

    /** Workflows: the marker goes into {@code description}; derived data are the workflow's steps. */
    WORKFLOWS("workflows", "description"),

    /** Notifications: the marker goes into {@code title}; derived data is the tenant's unread count. */
    NOTIFICATIONS("notifications", "title");

    private final String pathSegment;
    private final String markerField;

    Domain(String pathSegment, String markerField) {
        this.pathSegment = pathSegment;
        this.markerField = markerField;
    }

    /** The domain's name in cache keys and events, and its URL segment ({@code /api/workflows}). */
    public String pathSegment() {
        return pathSegment;
    }

    /** The JSON field of an entity the harness writes its monotonically increasing marker into. */
    public String markerField() {
        return markerField;
    }
}
