package io.cachebus.api.notifications;

/** The tenant's number of unread notifications: derived data, cached under the {@code notifications:unread-count} tag. */
public record UnreadCount(long unread) {
}
