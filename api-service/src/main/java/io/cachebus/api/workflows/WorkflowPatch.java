package io.cachebus.api.workflows;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * The fields a JSON merge patch ({@code PATCH /api/workflows/{id}}) may change. {@code "description": null}
 * removes the description; name and status cannot be removed. Steps change only with a PUT.
 */
public record WorkflowPatch(
        @NotBlank @Size(max = 200) String name,
        @NotNull WorkflowStatus status,
        @Size(max = 2000) String description) {

    static WorkflowPatch of(Workflow workflow) {
        return new WorkflowPatch(workflow.name(), workflow.status(), workflow.description());
    }
}
