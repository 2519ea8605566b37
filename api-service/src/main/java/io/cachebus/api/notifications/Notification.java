package io.cachebus.api.notifications;

import java.time.Instant;

/** A notification as the API returns it; {@code readAt} is {@code null} while it is unread. */
public record Notification(long id, String title, String message, boolean read, Instant readAt, Instant createdAt) {
}
