package io.cachebus.loadtest.workload;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The reference API's HTTP surface as the harness uses it: create an entity, read it (and its derived data),
 * write a value into it. Every call is asynchronous and authenticated with a bearer token of the entity's
 * tenant. This is the one class that knows the API's paths and bodies.
 *
 * <p>Values (see {@link Domain}): a workflow's is the marker in its {@code description}; a notification's is 1
 * when it is read, 0 when unread.
 */
public final class ReferenceApi {

    /** A completed HTTP exchange: its status and, for entity reads, the value it showed. */
    public record Reply(int status, long value) {

        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String MERGE_PATCH = "application/merge-patch+json";
    private static final String CEILING_PATH = "/api/bench/ceiling/workflows/";

    private final HttpClient http;
    private final Function<String, String> bearerTokenOfTenant;
    private final Duration requestTimeout;

    public ReferenceApi(HttpClient http, Function<String, String> bearerTokenOfTenant, Duration requestTimeout) {
        this.http = http;
        this.bearerTokenOfTenant = bearerTokenOfTenant;
        this.requestTimeout = requestTimeout;
    }

    /** Creates an entity holding {@link Marker#INITIAL}; completes with its id. */
    public CompletableFuture<String> create(URI node, String tenant, Domain domain, int index) {
        return create(node, tenant, domain, String.valueOf(index));
    }

    /**
     * Creates an entity holding {@link Marker#INITIAL}, {@code label} in its name (a tenant's workflow names are
     * unique); completes with its id.
     */
    public CompletableFuture<String> create(URI node, String tenant, Domain domain, String label) {
        ObjectNode body = JSON.createObjectNode();
        if (domain == Domain.WORKFLOWS) {
            body.put("name", "load-test workflow " + label);
            body.put("description", Marker.format(Marker.INITIAL));
            body.putArray("steps").addObject().put("name", "step 1").put("action", "notify");
        } else {
            body.put("title", "load-test notification " + label);
            body.put("message", "created by the cachebus load test");
        }
        HttpRequest request = request(node, tenant, "/api/" + domain.pathSegment())
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .header("Content-Type", "application/json")
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).thenApply(response -> {
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("creating a " + domain.pathSegment() + " entity for tenant " + tenant
                        + " on " + node + " answered " + response.statusCode() + ": " + abbreviate(response.body()));
            }
            JsonNode id = JSON.readTree(response.body()).get("id");
            if (id == null || id.isNull()) {
                throw new IllegalStateException("the created entity has no id: " + abbreviate(response.body()));
            }
            return id.asString();
        });
    }

    /** GET of one entity; the reply carries the value it shows ({@link Marker#NONE} when it shows none). */
    public CompletableFuture<Reply> read(URI node, EntityRef entity) {
        HttpRequest request = request(node, entity.tenant(), entityPath(entity)).GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).thenApply(response -> {
            long value = Marker.NONE;
            if (response.statusCode() / 100 == 2) {
                value = valueOf(entity.domain(), JSON.readTree(response.body()));
            }
            return new Reply(response.statusCode(), value);
        });
    }

    /**
     * GET of the node's ceiling endpoint for a workflow's id: a workflow-shaped body built in memory, behind the same
     * HTTP stack and token check as {@link #read}, with no cache and no database (served only by a node started with
     * {@code cachebus.bench.ceiling-endpoint.enabled=true}; others answer 404).
     */
    public CompletableFuture<Reply> readCeiling(URI node, EntityRef workflow) {
        return sendDiscardingBody(request(node, workflow.tenant(), CEILING_PATH + workflow.id()).GET().build());
    }

    /** The size of the body of {@link #read} (or, with {@code ceiling}, of {@link #readCeiling}), in bytes. */
    public CompletableFuture<Integer> bodySize(URI node, EntityRef workflow, boolean ceiling) {
        String path = ceiling ? CEILING_PATH + workflow.id() : entityPath(workflow);
        return http.sendAsync(request(node, workflow.tenant(), path).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray()).thenApply(response -> {
                    if (response.statusCode() / 100 != 2) {
                        throw new IllegalStateException("GET " + path + " on " + node + " answered "
                                + response.statusCode());
                    }
                    return response.body().length;
                });
    }

    /** GET of the entity's derived data: a workflow's steps, or the tenant's unread notification count. */
    public CompletableFuture<Reply> readDerived(URI node, EntityRef entity) {
        String path = entity.domain() == Domain.WORKFLOWS
                ? entityPath(entity) + "/steps"
                : "/api/notifications/unread-count";
        return sendDiscardingBody(request(node, entity.tenant(), path).GET().build());
    }

    /** A JSON merge patch that writes {@code value} into the entity. */
    public CompletableFuture<Reply> write(URI node, EntityRef entity, long value) {
        ObjectNode body = JSON.createObjectNode();
        if (entity.domain() == Domain.WORKFLOWS) {
            body.put("description", Marker.format(value));
        } else {
            body.put("read", value == 1);
        }
        HttpRequest request = request(node, entity.tenant(), entityPath(entity))
                .method("PATCH", HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .header("Content-Type", MERGE_PATCH)
                .build();
        return sendDiscardingBody(request);
    }

    static long valueOf(Domain domain, JsonNode entity) {
        if (domain == Domain.WORKFLOWS) {
            JsonNode description = entity.get("description");
            return description == null || !description.isString() ? Marker.NONE : Marker.parse(description.asString());
        }
        JsonNode read = entity.get("read");
        return read == null || !read.isBoolean() ? Marker.NONE : read.asBoolean() ? 1 : 0;
    }

    private CompletableFuture<Reply> sendDiscardingBody(HttpRequest request) {
        return http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .thenApply(response -> new Reply(response.statusCode(), Marker.NONE));
    }

    private HttpRequest.Builder request(URI node, String tenant, String path) {
        return HttpRequest.newBuilder(node.resolve(path))
                .timeout(requestTimeout)
                .header("Authorization", "Bearer " + bearerTokenOfTenant.apply(tenant))
                .header("Accept", "application/json");
    }

    private static String entityPath(EntityRef entity) {
        return "/api/" + entity.domain().pathSegment() + "/" + entity.id();
    }

    private static String abbreviate(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        return text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }
}
