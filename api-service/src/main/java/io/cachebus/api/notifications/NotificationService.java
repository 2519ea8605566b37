package io.cachebus.api.notifications;

import io.cachebus.api.jdbc.Timestamps;
import io.cachebus.api.notifications.store.NotificationRepository;
import io.cachebus.api.security.Tenant;
import io.cachebus.api.web.MergePatch;
import io.cachebus.api.web.Page;
import io.cachebus.api.web.PageQuery;
import io.cachebus.api.web.ResourceNotFoundException;
import io.cachebus.client.CacheKey;
import io.cachebus.client.MutationPublisher;
import io.cachebus.client.TieredCache;
import io.cachebus.events.Operation;
import io.cachebus.events.Tag;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.ErrorResponseException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;

/**
 * Reads go through the tiered cache under the {@value #DOMAIN} domain (the unread count under its
 * {@value #UNREAD_COUNT} tag); every write records a {@code DomainMutated} in its own transaction, after the
 * write, so the event commits with it or not at all. A notification is an entry of its entity; lists and the unread
 * count are collections of the domain, which a write of one notification drops too; marking many read is a bulk
 * write and drops the whole domain (ADR 0017).
 */
@Service
public class NotificationService {

    public static final String DOMAIN = "notifications";
    public static final String UNREAD_COUNT = "unread-count";
    static final String RESOURCE = "/api/notifications";

    private static final TypeReference<Page<Notification>> PAGE_OF_NOTIFICATIONS = new TypeReference<>() {
    };

    private final NotificationRepository repository;
    private final TieredCache cache;
    private final MutationPublisher publisher;
    private final MergePatch mergePatch;
    private final TransactionTemplate readOnly;

    public NotificationService(NotificationRepository repository, TieredCache cache, MutationPublisher publisher,
            MergePatch mergePatch, PlatformTransactionManager transactions) {
        this.repository = repository;
        this.cache = cache;
        this.publisher = publisher;
        this.mergePatch = mergePatch;
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
    }

    public Page<Notification> list(Tenant tenant, Boolean unread, PageQuery page) {
        CacheKey key = CacheKey.of(tenant.id(), DOMAIN).resource(RESOURCE)
                .param("page", page.page()).param("size", page.size()).param("unread", unread)
                .build();
        return cache.get(key, PAGE_OF_NOTIFICATIONS, () -> readOnly.execute(status -> Page.of(
                repository.list(tenant.id(), unread, page.offset(), page.size()), page,
                repository.count(tenant.id(), unread))));
    }

    public Notification get(Tenant tenant, long id) {
        CacheKey key = CacheKey.of(tenant.id(), DOMAIN).entity(String.valueOf(id)).resource(RESOURCE + "/" + id).build();
        return cache.get(key, Notification.class, () -> repository.find(tenant.id(), id).orElseThrow(() -> notFound(id)));
    }

    public UnreadCount unreadCount(Tenant tenant) {
        CacheKey key = CacheKey.of(tenant.id(), DOMAIN).derived(UNREAD_COUNT).resource(RESOURCE + "/unread-count").build();
        return cache.get(key, UnreadCount.class, () -> new UnreadCount(repository.countUnread(tenant.id())));
    }

    @Transactional
    public Notification create(Tenant tenant, NotificationRequest request) {
        long id = repository.insert(tenant.id(), request.title(), request.message(), Timestamps.now());
        return published(tenant, id, Operation.CREATE);
    }

    @Transactional
    public Notification patch(Tenant tenant, long id, JsonNode patch) {
        Notification current = repository.findForUpdate(tenant.id(), id).orElseThrow(() -> notFound(id));
        NotificationPatch merged = mergePatch.apply(NotificationPatch.of(current), patch, NotificationPatch.class);
        if (merged.read() != current.read()) {
            repository.setReadAt(tenant.id(), id, merged.read() ? Timestamps.now() : null);
        }
        return published(tenant, id, Operation.PATCH);
    }

    /** Marks all, or the given, notifications read; a single unknown id refuses the whole request with 404. */
    @Transactional
    public MarkReadResult markRead(Tenant tenant, MarkReadRequest request) {
        request.requireOneTarget();
        int updated;
        if (Boolean.TRUE.equals(request.all())) {
            updated = repository.markAllRead(tenant.id(), Timestamps.now());
        } else {
            Set<Long> missing = new TreeSet<>(request.ids());
            missing.removeAll(repository.existingForUpdate(tenant.id(), request.ids()));
            if (!missing.isEmpty()) {
                throw unknownIds(missing);
            }
            updated = repository.markRead(tenant.id(), request.ids(), Timestamps.now());
        }
        Optional<String> entity = singleEntity(request);
        publisher.recordMutation(tenant.id(), DOMAIN, entity.isPresent() ? Operation.PATCH : Operation.BULK_PATCH,
                entity, List.of(new Tag(DOMAIN, UNREAD_COUNT)));
        return new MarkReadResult(updated);
    }

    /**
     * One id names one notification: recorded as a PATCH of it, its scope is that entity and the domain's
     * collections, as for {@code PATCH /{id}} (ADR 0017). Several ids, or all, stay a bulk write of the whole domain:
     * an event names at most one entity.
     */
    private static Optional<String> singleEntity(MarkReadRequest request) {
        if (Boolean.TRUE.equals(request.all()) || request.ids() == null || request.ids().size() != 1) {
            return Optional.empty();
        }
        return Optional.of(String.valueOf(request.ids().iterator().next()));
    }

    @Transactional
    public void delete(Tenant tenant, long id) {
        if (!repository.delete(tenant.id(), id)) {
            throw notFound(id);
        }
        publisher.recordMutation(tenant.id(), DOMAIN, Operation.DELETE, String.valueOf(id));
    }

    /** Reads back what the transaction wrote (the response equals every later GET), then records the mutation. */
    private Notification published(Tenant tenant, long id, Operation operation) {
        Notification written = repository.find(tenant.id(), id).orElseThrow(() -> notFound(id));
        publisher.recordMutation(tenant.id(), DOMAIN, operation, String.valueOf(id));
        return written;
    }

    private static ResourceNotFoundException notFound(long id) {
        return new ResourceNotFoundException("notification", id);
    }

    private static ErrorResponseException unknownIds(Set<Long> missing) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                "notifications " + missing + " do not exist; nothing was changed");
        problem.setProperty("missingIds", List.copyOf(missing));
        return new ErrorResponseException(HttpStatus.NOT_FOUND, problem, null);
    }
}
