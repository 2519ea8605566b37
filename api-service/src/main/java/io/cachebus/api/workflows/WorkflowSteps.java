package io.cachebus.api.workflows;

import java.util.List;

/** The steps of one workflow, in order: derived data, cached under the {@code workflows:steps} tag. */
public record WorkflowSteps(long workflowId, List<WorkflowStep> steps) {

    public WorkflowSteps {
        steps = List.copyOf(steps);
    }
}
