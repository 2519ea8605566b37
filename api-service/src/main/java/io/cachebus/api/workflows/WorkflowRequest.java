package io.cachebus.api.workflows;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * The body of {@code POST /api/workflows} and {@code PUT /api/workflows/{id}}: the whole workflow, steps
 * included. A PUT replaces everything, so an absent {@code status} is {@code DRAFT} and absent {@code steps}
 * means none.
 */
public record WorkflowRequest(
        @NotBlank @Size(max = 200) String name,
        WorkflowStatus status,
        @Size(max = 2000) String description,
        @Size(max = 100) List<@NotNull @Valid WorkflowStepRequest> steps) {

    public WorkflowRequest {
        status = status == null ? WorkflowStatus.DRAFT : status;
        steps = steps == null ? List.of() : steps;
    }

    /** A step as given in a request; its position is its index in {@code steps}. */
    public record WorkflowStepRequest(@NotBlank @Size(max = 200) String name, @NotBlank @Size(max = 100) String action) {
    }
}
