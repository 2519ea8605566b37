package io.cachebus.api.workflows;

/** Where a workflow is in its life. */
public enum WorkflowStatus {
    DRAFT,
    ACTIVE,
    PAUSED,
    ARCHIVED
}
