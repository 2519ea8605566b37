package io.cachebus.api.notifications;

/** How many notifications a bulk mark-read changed from unread to read. */
public record MarkReadResult(int updated) {
}
