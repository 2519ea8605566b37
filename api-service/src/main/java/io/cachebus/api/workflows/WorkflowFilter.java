package io.cachebus.api.workflows;

import io.cachebus.api.web.InvalidRequestException;

/**
 * The list filters, normalized: a blank name filter is no filter, and the name is trimmed, so requests that
 * mean the same share one cache entry.
 *
 * @param status       only workflows in this status, or all when {@code null}
 * @param nameContains only workflows whose name contains this text, ignoring case, or all when {@code null}
 */
public record WorkflowFilter(WorkflowStatus status, String nameContains) {

    public static final int MAX_NAME_FILTER_LENGTH = 200;

    public static WorkflowFilter of(WorkflowStatus status, String name) {
        String trimmed = name == null ? null : name.strip();
        if (trimmed != null && trimmed.length() > MAX_NAME_FILTER_LENGTH) {
            throw InvalidRequestException.of("name", "must be at most " + MAX_NAME_FILTER_LENGTH + " characters");
        }
        return new WorkflowFilter(status, trimmed == null || trimmed.isEmpty() ? null : trimmed);
    }
}
