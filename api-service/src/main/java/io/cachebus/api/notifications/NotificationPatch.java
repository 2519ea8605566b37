package io.cachebus.api.notifications;

import jakarta.validation.constraints.NotNull;

/** The one field a JSON merge patch ({@code PATCH /api/notifications/{id}}) may change: read or unread. */
public record NotificationPatch(@NotNull Boolean read) {

    static NotificationPatch of(Notification notification) {
        return new NotificationPatch(notification.read());
    }
}
