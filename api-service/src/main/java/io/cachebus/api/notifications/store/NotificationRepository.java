package io.cachebus.api.notifications.store;

import io.cachebus.api.jdbc.Timestamps;
import io.cachebus.api.notifications.Notification;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

/** Notifications in SQL. Every statement is scoped by {@code tenant_id}; no method reads across tenants. */
@Repository
public class NotificationRepository {

    private static final String COLUMNS = "id, title, message, read_at, created_at";

    private final JdbcClient jdbc;

    public NotificationRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Notification> find(String tenant, long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM notifications WHERE tenant_id = :tenant AND id = :id")
                .param("tenant", tenant).param("id", id)
                .query(NotificationRepository::notification).optional();
    }

    /** As {@link #find}, locking the row until the transaction ends. */
    public Optional<Notification> findForUpdate(String tenant, long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM notifications WHERE tenant_id = :tenant AND id = :id FOR UPDATE")
                .param("tenant", tenant).param("id", id)
                .query(NotificationRepository::notification).optional();
    }

    /** Newest first; {@code unread} {@code null} lists all. */
    public List<Notification> list(String tenant, Boolean unread, long offset, int limit) {
        Map<String, Object> params = new HashMap<>();
        String where = where(tenant, unread, params);
        params.put("limit", limit);
        params.put("offset", offset);
        return jdbc.sql("SELECT " + COLUMNS + " FROM notifications" + where
                        + " ORDER BY id DESC LIMIT :limit OFFSET :offset")
                .params(params).query(NotificationRepository::notification).list();
    }

    public long count(String tenant, Boolean unread) {
        Map<String, Object> params = new HashMap<>();
        String where = where(tenant, unread, params);
        return jdbc.sql("SELECT COUNT(*) FROM notifications" + where).params(params).query(Long.class).single();
    }

    public long insert(String tenant, String title, String message, Instant now) {
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("INSERT INTO notifications (tenant_id, title, message, read_at, created_at)"
                        + " VALUES (:tenant, :title, :message, NULL, :now)")
                .param("tenant", tenant).param("title", title).param("message", message)
                .param("now", Timestamps.toColumn(now))
                .update(keys, "id");
        return keys.getKeyAs(Number.class).longValue();
    }

    /** Marks one notification read at {@code now}, or unread when {@code now} is {@code null}. */
    public void setReadAt(String tenant, long id, Instant now) {
        jdbc.sql("UPDATE notifications SET read_at = :readAt WHERE tenant_id = :tenant AND id = :id")
                .param("readAt", Timestamps.toColumn(now)).param("tenant", tenant).param("id", id)
                .update();
    }

    /** Marks every unread notification of the tenant read; returns how many changed. */
    public int markAllRead(String tenant, Instant now) {
        return jdbc.sql("UPDATE notifications SET read_at = :now WHERE tenant_id = :tenant AND read_at IS NULL")
                .param("now", Timestamps.toColumn(now)).param("tenant", tenant)
                .update();
    }

    /** Marks these notifications read where unread; returns how many changed. */
    public int markRead(String tenant, Collection<Long> ids, Instant now) {
        return jdbc.sql("UPDATE notifications SET read_at = :now"
                        + " WHERE tenant_id = :tenant AND id IN (:ids) AND read_at IS NULL")
                .param("now", Timestamps.toColumn(now)).param("tenant", tenant).param("ids", ids)
                .update();
    }

    /** Those of {@code ids} the tenant has, locked until the transaction ends. */
    public Set<Long> existingForUpdate(String tenant, Collection<Long> ids) {
        return Set.copyOf(jdbc.sql("SELECT id FROM notifications WHERE tenant_id = :tenant AND id IN (:ids) FOR UPDATE")
                .param("tenant", tenant).param("ids", ids)
                .query(Long.class).list());
    }

    public long countUnread(String tenant) {
        return count(tenant, Boolean.TRUE);
    }

    public boolean delete(String tenant, long id) {
        return jdbc.sql("DELETE FROM notifications WHERE tenant_id = :tenant AND id = :id")
                .param("tenant", tenant).param("id", id).update() == 1;
    }

    private static String where(String tenant, Boolean unread, Map<String, Object> params) {
        params.put("tenant", tenant);
        if (unread == null) {
            return " WHERE tenant_id = :tenant";
        }
        return " WHERE tenant_id = :tenant AND read_at IS " + (unread ? "NULL" : "NOT NULL");
    }

    private static Notification notification(ResultSet row, int rowNum) throws SQLException {
        Instant readAt = Timestamps.fromColumn(row, "read_at");
        return new Notification(row.getLong("id"), row.getString("title"), row.getString("message"), readAt != null,
                readAt, Timestamps.fromColumn(row, "created_at"));
    }
}
