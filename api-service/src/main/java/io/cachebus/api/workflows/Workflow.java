package io.cachebus.api.workflows;

import java.time.Instant;

/** A workflow as the API returns it; its steps are read separately ({@code GET /api/workflows/{id}/steps}). */
public record Workflow(long id, String name, WorkflowStatus status, String description, Instant createdAt,
        Instant updatedAt) {
}
