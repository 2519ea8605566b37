package io.cachebus.api.workflows;

import io.cachebus.api.security.Tenant;
import io.cachebus.api.web.MergePatch;
import io.cachebus.api.web.Page;
import io.cachebus.api.web.PageQuery;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** {@code /api/workflows}: the caller's tenant's workflows and their steps. */
@RestController
@RequestMapping(WorkflowService.RESOURCE)
public class WorkflowController {

    private final WorkflowService workflows;

    public WorkflowController(WorkflowService workflows) {
        this.workflows = workflows;
    }

    /** {@code ?page=0&size=20&status=ACTIVE&name=text}: ordered by id; {@code name} matches a part, ignoring case. */
    @GetMapping
    public Page<Workflow> list(Tenant tenant, @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size, @RequestParam(required = false) WorkflowStatus status,
            @RequestParam(required = false) String name) {
        return workflows.list(tenant, WorkflowFilter.of(status, name), PageQuery.of(page, size));
    }

    /** {@code ?page=0&size=20}: every workflow with its number of steps, ordered by id. */
    @GetMapping("/step-counts")
    public Page<WorkflowStepCount> stepCounts(Tenant tenant, @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size) {
        return workflows.stepCounts(tenant, PageQuery.of(page, size));
    }

    @GetMapping("/{id}")
    public Workflow get(Tenant tenant, @PathVariable long id) {
        return workflows.get(tenant, id);
    }

    @GetMapping("/{id}/steps")
    public WorkflowSteps steps(Tenant tenant, @PathVariable long id) {
        return workflows.steps(tenant, id);
    }

    @PostMapping
    @ApiResponse(responseCode = "201", description = "Created; the Location header names the new workflow")
    public ResponseEntity<Workflow> create(Tenant tenant, @Valid @RequestBody WorkflowRequest request) {
        Workflow created = workflows.create(tenant, request);
        return ResponseEntity.created(URI.create(WorkflowService.RESOURCE + "/" + created.id())).body(created);
    }

    @PutMapping("/{id}")
    public Workflow replace(Tenant tenant, @PathVariable long id, @Valid @RequestBody WorkflowRequest request) {
        return workflows.replace(tenant, id, request);
    }

    /** JSON merge patch (RFC 7386) of name, status and description. */
    @PatchMapping(path = "/{id}", consumes = {MergePatch.MEDIA_TYPE, MediaType.APPLICATION_JSON_VALUE})
    public Workflow patch(Tenant tenant, @PathVariable long id, @RequestBody JsonNode patch) {
        return workflows.patch(tenant, id, patch);
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void delete(Tenant tenant, @PathVariable long id) {
        workflows.delete(tenant, id);
    }
}
