package io.cachebus.api.workflows;

/** One step of a workflow; {@code position} counts from 1 in the order the steps were given. */
public record WorkflowStep(int position, String name, String action) {
}
