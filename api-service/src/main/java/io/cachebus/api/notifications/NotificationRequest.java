package io.cachebus.api.notifications;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** The body of {@code POST /api/notifications}; a new notification is unread. */
public record NotificationRequest(@NotBlank @Size(max = 200) String title, @Size(max = 2000) String message) {
}
