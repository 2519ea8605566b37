package io.cachebus.api.notifications;

import io.cachebus.api.security.Tenant;
import io.cachebus.api.web.MergePatch;
import io.cachebus.api.web.Page;
import io.cachebus.api.web.PageQuery;
import io.cachebus.api.web.QueryParameters;
import jakarta.validation.Valid;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** {@code /api/notifications}: the caller's tenant's notifications and its unread count. */
@RestController
@RequestMapping(NotificationService.RESOURCE)
public class NotificationController {

    private final NotificationService notifications;

    public NotificationController(NotificationService notifications) {
        this.notifications = notifications;
    }

    /** {@code ?page=0&size=20&unread=true|false}: newest first. */
    @GetMapping
    public Page<Notification> list(Tenant tenant, @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size, @RequestParam(required = false) String unread) {
        return notifications.list(tenant, QueryParameters.optionalBoolean("unread", unread), PageQuery.of(page, size));
    }

    @GetMapping("/unread-count")
    public UnreadCount unreadCount(Tenant tenant) {
        return notifications.unreadCount(tenant);
    }

    @GetMapping("/{id}")
    public Notification get(Tenant tenant, @PathVariable long id) {
        return notifications.get(tenant, id);
    }

    @PostMapping
    public ResponseEntity<Notification> create(Tenant tenant, @Valid @RequestBody NotificationRequest request) {
        Notification created = notifications.create(tenant, request);
        return ResponseEntity.created(URI.create(NotificationService.RESOURCE + "/" + created.id())).body(created);
    }

    /** JSON merge patch (RFC 7386) of {@code read}: mark one notification read or unread. */
    @PatchMapping(path = "/{id}", consumes = {MergePatch.MEDIA_TYPE, MediaType.APPLICATION_JSON_VALUE})
    public Notification patch(Tenant tenant, @PathVariable long id, @RequestBody JsonNode patch) {
        return notifications.patch(tenant, id, patch);
    }

    /** Bulk mark-read: {@code {"all": true}} or {@code {"ids": [...]}}. */
    @PatchMapping(consumes = {MergePatch.MEDIA_TYPE, MediaType.APPLICATION_JSON_VALUE})
    public MarkReadResult markRead(Tenant tenant, @Valid @RequestBody MarkReadRequest request) {
        return notifications.markRead(tenant, request);
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void delete(Tenant tenant, @PathVariable long id) {
        notifications.delete(tenant, id);
    }
}
