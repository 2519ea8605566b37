package io.cachebus.api.workflows.store;

import io.cachebus.api.jdbc.LikePatterns;
import io.cachebus.api.jdbc.Timestamps;
import io.cachebus.api.web.ConflictException;
import io.cachebus.api.workflows.Workflow;
import io.cachebus.api.workflows.WorkflowFilter;
import io.cachebus.api.workflows.WorkflowRequest.WorkflowStepRequest;
import io.cachebus.api.workflows.WorkflowStatus;
import io.cachebus.api.workflows.WorkflowStep;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

/** Workflows and their steps in SQL. Every statement is scoped by {@code tenant_id}; no method reads across tenants. */
@Repository
public class WorkflowRepository {

    private static final String COLUMNS = "id, name, status, description, created_at, updated_at";

    private final JdbcClient jdbc;

    public WorkflowRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Workflow> find(String tenant, long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM workflows WHERE tenant_id = :tenant AND id = :id")
                .param("tenant", tenant).param("id", id)
                .query(WorkflowRepository::workflow).optional();
    }

    /** As {@link #find}, locking the row until the transaction ends, so concurrent patches do not lose updates. */
    public Optional<Workflow> findForUpdate(String tenant, long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM workflows WHERE tenant_id = :tenant AND id = :id FOR UPDATE")
                .param("tenant", tenant).param("id", id)
                .query(WorkflowRepository::workflow).optional();
    }

    public List<Workflow> list(String tenant, WorkflowFilter filter, long offset, int limit) {
        Map<String, Object> params = new HashMap<>();
        String where = where(tenant, filter, params);
        params.put("limit", limit);
        params.put("offset", offset);
        return jdbc.sql("SELECT " + COLUMNS + " FROM workflows" + where + " ORDER BY id LIMIT :limit OFFSET :offset")
                .params(params).query(WorkflowRepository::workflow).list();
    }

    public long count(String tenant, WorkflowFilter filter) {
        Map<String, Object> params = new HashMap<>();
        String where = where(tenant, filter, params);
        return jdbc.sql("SELECT COUNT(*) FROM workflows" + where).params(params).query(Long.class).single();
    }

    /** Inserts a workflow and returns its id; a name the tenant already uses is a {@link ConflictException}. */
    public long insert(String tenant, String name, WorkflowStatus status, String description, Instant now) {
        KeyHolder keys = new GeneratedKeyHolder();
        try {
            jdbc.sql("INSERT INTO workflows (tenant_id, name, status, description, created_at, updated_at)"
                            + " VALUES (:tenant, :name, :status, :description, :now, :now)")
                    .param("tenant", tenant).param("name", name).param("status", status.name())
                    .param("description", description).param("now", Timestamps.toColumn(now))
                    .update(keys, "id");
        } catch (DuplicateKeyException e) {
            throw nameTaken(name);
        }
        return keys.getKeyAs(Number.class).longValue();
    }

    /** Updates a workflow's attributes; {@code false} when the tenant has no such workflow. */
    public boolean update(String tenant, long id, String name, WorkflowStatus status, String description, Instant now) {
        try {
            return jdbc.sql("UPDATE workflows SET name = :name, status = :status, description = :description,"
                            + " updated_at = :now WHERE tenant_id = :tenant AND id = :id")
                    .param("name", name).param("status", status.name()).param("description", description)
                    .param("now", Timestamps.toColumn(now)).param("tenant", tenant).param("id", id)
                    .update() == 1;
        } catch (DuplicateKeyException e) {
            throw nameTaken(name);
        }
    }

    public boolean delete(String tenant, long id) {
        return jdbc.sql("DELETE FROM workflows WHERE tenant_id = :tenant AND id = :id")
                .param("tenant", tenant).param("id", id).update() == 1;
    }

    /** Replaces all steps of a workflow the tenant owns (checked by the caller, in the same transaction). */
    public void replaceSteps(String tenant, long workflowId, List<WorkflowStepRequest> steps) {
        jdbc.sql("DELETE FROM workflow_steps WHERE tenant_id = :tenant AND workflow_id = :workflowId")
                .param("tenant", tenant).param("workflowId", workflowId).update();
        for (int i = 0; i < steps.size(); i++) {
            WorkflowStepRequest step = steps.get(i);
            jdbc.sql("INSERT INTO workflow_steps (workflow_id, tenant_id, step_position, name, action)"
                            + " VALUES (:workflowId, :tenant, :position, :name, :action)")
                    .param("workflowId", workflowId).param("tenant", tenant).param("position", i + 1)
                    .param("name", step.name()).param("action", step.action())
                    .update();
        }
    }

    public List<WorkflowStep> steps(String tenant, long workflowId) {
        return jdbc.sql("SELECT step_position, name, action FROM workflow_steps"
                        + " WHERE tenant_id = :tenant AND workflow_id = :workflowId ORDER BY step_position")
                .param("tenant", tenant).param("workflowId", workflowId)
                .query((row, n) -> new WorkflowStep(row.getInt("step_position"), row.getString("name"),
                        row.getString("action")))
                .list();
    }

    private static String where(String tenant, WorkflowFilter filter, Map<String, Object> params) {
        StringBuilder where = new StringBuilder(" WHERE tenant_id = :tenant");
        params.put("tenant", tenant);
        if (filter.status() != null) {
            where.append(" AND status = :status");
            params.put("status", filter.status().name());
        }
        if (filter.nameContains() != null) {
            where.append(" AND LOWER(name) LIKE :name ESCAPE '").append(LikePatterns.ESCAPE).append('\'');
            params.put("name", LikePatterns.containsIgnoringCase(filter.nameContains()));
        }
        return where.toString();
    }

    private static ConflictException nameTaken(String name) {
        return new ConflictException("a workflow named '" + name + "' already exists");
    }

    private static Workflow workflow(ResultSet row, int rowNum) throws SQLException {
        return new Workflow(row.getLong("id"), row.getString("name"), WorkflowStatus.valueOf(row.getString("status")),
                row.getString("description"), Timestamps.fromColumn(row, "created_at"),
                Timestamps.fromColumn(row, "updated_at"));
    }
}
