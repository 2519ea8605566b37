package io.cachebus.api.workflows;

import io.cachebus.api.jdbc.Timestamps;
import io.cachebus.api.security.Tenant;
import io.cachebus.api.web.MergePatch;
import io.cachebus.api.web.Page;
import io.cachebus.api.web.PageQuery;
import io.cachebus.api.web.ResourceNotFoundException;
import io.cachebus.api.workflows.store.WorkflowRepository;
import io.cachebus.client.CacheKey;
import io.cachebus.client.MutationPublisher;
import io.cachebus.client.TieredCache;
import io.cachebus.client.sql.SqlCache;
import io.cachebus.events.Operation;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;

/**
 * Reads go through the tiered cache under the {@value #DOMAIN} domain (steps under its {@value #STEPS} tag);
 * every write records a {@code DomainMutated} in its own transaction, after the write, so the event commits
 * with it or not at all. A workflow and its steps are entries of that workflow's entity, lists are collections of
 * the domain: a write of one workflow (it names its id) leaves every other workflow's entries cached (ADR 0017). The step counts, a read across two tables, go through {@link SqlCache}, which tags them
 * with both tables ({@code workflow_steps} is configured to be the {@value #DOMAIN} scope, see application.yml).
 */
@Service
public class WorkflowService {

    public static final String DOMAIN = "workflows";
    public static final String STEPS = "steps";
    static final String RESOURCE = "/api/workflows";

    private static final TypeReference<Page<Workflow>> PAGE_OF_WORKFLOWS = new TypeReference<>() {
    };

    private final WorkflowRepository repository;
    private final TieredCache cache;
    private final SqlCache sql;
    private final MutationPublisher publisher;
    private final MergePatch mergePatch;
    private final TransactionTemplate readOnly;

    public WorkflowService(WorkflowRepository repository, TieredCache cache, SqlCache sql, MutationPublisher publisher,
            MergePatch mergePatch, PlatformTransactionManager transactions) {
        this.repository = repository;
        this.cache = cache;
        this.sql = sql;
        this.publisher = publisher;
        this.mergePatch = mergePatch;
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
    }

    public Page<Workflow> list(Tenant tenant, WorkflowFilter filter, PageQuery page) {
        CacheKey key = CacheKey.of(tenant.id(), DOMAIN).resource(RESOURCE)
                .param("page", page.page()).param("size", page.size())
                .param("status", filter.status()).param("name", filter.nameContains())
                .build();
        // One read-only transaction, so the count and the page agree with each other.
        return cache.get(key, PAGE_OF_WORKFLOWS, () -> readOnly.execute(status -> Page.of(
                repository.list(tenant.id(), filter, page.offset(), page.size()), page,
                repository.count(tenant.id(), filter))));
    }

    /**
     * Every workflow with its number of steps, ordered by id. Cached by {@link SqlCache}: the entries depend on the
     * tables the query reads, so any write to a workflow or to a step refreshes them, however it was made.
     */
    public Page<WorkflowStepCount> stepCounts(Tenant tenant, PageQuery page) {
        return readOnly.execute(status -> Page.of(sql.tenant(tenant.id()).sql("""
                        SELECT w.id, w.name, w.status, COUNT(s.step_position) AS steps
                        FROM workflows w
                        LEFT JOIN workflow_steps s ON s.workflow_id = w.id AND s.tenant_id = w.tenant_id
                        WHERE w.tenant_id = :tenant
                        GROUP BY w.id, w.name, w.status
                        ORDER BY w.id LIMIT :limit OFFSET :offset""")
                        .param("tenant", tenant.id()).param("limit", page.size()).param("offset", page.offset())
                        .query(WorkflowStepCount.class).list(),
                page,
                sql.tenant(tenant.id()).sql("SELECT COUNT(*) FROM workflows WHERE tenant_id = :tenant")
                        .param("tenant", tenant.id()).query(Long.class).single()));
    }

    public Workflow get(Tenant tenant, long id) {
        CacheKey key = CacheKey.of(tenant.id(), DOMAIN).entity(String.valueOf(id)).resource(RESOURCE + "/" + id).build();
        return cache.get(key, Workflow.class, () -> repository.find(tenant.id(), id).orElseThrow(() -> notFound(id)));
    }

    public WorkflowSteps steps(Tenant tenant, long id) {
        // every write of a workflow's steps is a write of that workflow, which names it
        CacheKey key = CacheKey.of(tenant.id(), DOMAIN).derived(STEPS).entity(String.valueOf(id))
                .resource(RESOURCE + "/" + id + "/steps").build();
        return cache.get(key, WorkflowSteps.class, () -> readOnly.execute(status -> {
            repository.find(tenant.id(), id).orElseThrow(() -> notFound(id));
            return new WorkflowSteps(id, repository.steps(tenant.id(), id));
        }));
    }

    @Transactional
    public Workflow create(Tenant tenant, WorkflowRequest request) {
        long id = repository.insert(tenant.id(), request.name(), request.status(), request.description(),
                Timestamps.now());
        repository.replaceSteps(tenant.id(), id, request.steps());
        return published(tenant, id, Operation.CREATE);
    }

    @Transactional
    public Workflow replace(Tenant tenant, long id, WorkflowRequest request) {
        lock(tenant, id);
        repository.update(tenant.id(), id, request.name(), request.status(), request.description(), Timestamps.now());
        repository.replaceSteps(tenant.id(), id, request.steps());
        return published(tenant, id, Operation.UPDATE);
    }

    @Transactional
    public Workflow patch(Tenant tenant, long id, JsonNode patch) {
        WorkflowPatch merged = mergePatch.apply(WorkflowPatch.of(lock(tenant, id)), patch, WorkflowPatch.class);
        repository.update(tenant.id(), id, merged.name(), merged.status(), merged.description(), Timestamps.now());
        return published(tenant, id, Operation.PATCH);
    }

    @Transactional
    public void delete(Tenant tenant, long id) {
        if (!repository.delete(tenant.id(), id)) {
            throw notFound(id);
        }
        publisher.recordMutation(tenant.id(), DOMAIN, Operation.DELETE, String.valueOf(id));
    }

    private Workflow lock(Tenant tenant, long id) {
        return repository.findForUpdate(tenant.id(), id).orElseThrow(() -> notFound(id));
    }

    /** Reads back what the transaction wrote (the response equals every later GET), then records the mutation. */
    private Workflow published(Tenant tenant, long id, Operation operation) {
        Workflow written = repository.find(tenant.id(), id).orElseThrow(() -> notFound(id));
        publisher.recordMutation(tenant.id(), DOMAIN, operation, String.valueOf(id));
        return written;
    }

    private static ResourceNotFoundException notFound(long id) {
        return new ResourceNotFoundException("workflow", id);
    }
}
