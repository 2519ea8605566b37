package io.cachebus.api.workflows;

/** A workflow and how many steps it has: a read across {@code workflows} and {@code workflow_steps}. */
public record WorkflowStepCount(long id, String name, WorkflowStatus status, long steps) {
}
