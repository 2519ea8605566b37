package io.cachebus.loadtest.workload;

/** What one request of the workload does. */
public enum RequestKind {
    /** GET of one entity; its marker is checked against the ledger of acknowledged writes. */
    READ,
    /** GET of derived data (a workflow's steps, the unread count): cached, invalidated with its domain. */
    READ_DERIVED,
    /** PATCH of one entity with a new marker. */
    WRITE
}
