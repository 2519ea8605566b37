package io.cachebus.cluster.support.api;

/** The reference API's resources. Lists are asked with a page large enough for every item a test creates. */
public final class Paths {

    public static final String WORKFLOWS = "/api/workflows";
    public static final String WORKFLOW_LIST = WORKFLOWS + "?size=100";
    public static final String NOTIFICATIONS = "/api/notifications";
    public static final String NOTIFICATION_LIST = NOTIFICATIONS + "?size=100";
    public static final String UNREAD_COUNT = NOTIFICATIONS + "/unread-count";

    public static final String WORKFLOWS_DOMAIN = "workflows";
    public static final String NOTIFICATIONS_DOMAIN = "notifications";

    private Paths() {
    }

    public static String workflow(long id) {
        return WORKFLOWS + "/" + id;
    }

    public static String steps(long id) {
        return workflow(id) + "/steps";
    }

    public static String notification(long id) {
        return NOTIFICATIONS + "/" + id;
    }

    /** The resource a cache key names: the path without its query. */
    public static String resource(String path) {
        int query = path.indexOf('?');
        return query < 0 ? path : path.substring(0, query);
    }
}
