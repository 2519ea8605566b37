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

    /** Longest name filter: each distinct filter is a cache entry, so its size bounds what one query can store. */
    public static final int MAX_NAME_FILTER_LENGTH = 100;

    public static WorkflowFilter of(WorkflowStatus status, String name) {
        String trimmed = name == null ? null : name.strip();
        if (trimmed != null && trimmed.length() > MAX_NAME_FILTER_LENGTH) {
            throw InvalidRequestException.of("name", "must be at most " + MAX_NAME_FILTER_LENGTH + " characters");
        }
        if (trimmed != null && trimmed.codePoints().anyMatch(WorkflowFilter::invisible)) {
            throw InvalidRequestException.of("name", "must not contain control or formatting characters");
        }
        return new WorkflowFilter(status, trimmed == null || trimmed.isEmpty() ? null : trimmed);
    }

    /** Characters no name is searched by: controls, zero-width and other format characters, unassigned ones. */
    private static boolean invisible(int codePoint) {
        int type = Character.getType(codePoint);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.UNASSIGNED
                || type == Character.PRIVATE_USE || type == Character.SURROGATE;
    }
}
