package io.cachebus.api.bench;

import io.cachebus.api.security.Tenant;
import io.cachebus.api.workflows.Workflow;
import io.cachebus.api.workflows.WorkflowStatus;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/bench/ceiling/workflows/{id}}: a workflow built in memory on every request, through the same
 * filter chain, token check, rate limits and JSON writer as {@code GET /api/workflows/{id}}, with a body of the same
 * shape and about the same size as the workflows the load-test harness creates (name {@code load-test workflow N},
 * description {@code lt-N}). No cache, no database: the fastest a read of a workflow can be on this node. Present
 * only with {@code cachebus.bench.ceiling-endpoint.enabled=true}.
 */
@RestController
@ConditionalOnBooleanProperty("cachebus.bench.ceiling-endpoint.enabled")
public class CeilingController {

    static final String PATH = "/api/bench/ceiling/workflows/{id}";

    /** Fixed once: a cached workflow's timestamps are fixed too, and the body keeps one length. */
    private final Instant timestamp = Instant.now().truncatedTo(ChronoUnit.MICROS);

    /** Takes the caller's tenant, unused, so that resolving it from the token costs what it costs a real read. */
    @GetMapping(PATH)
    public Workflow workflow(Tenant tenant, @PathVariable long id) {
        return new Workflow(id, "load-test workflow " + id % 10, WorkflowStatus.ACTIVE, "lt-" + id % 10, timestamp,
                timestamp);
    }
}
