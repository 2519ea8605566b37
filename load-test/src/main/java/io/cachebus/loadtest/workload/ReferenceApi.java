package io.cachebus.loadtest.workload;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The reference API's HTTP surface as the harness uses it: create an entity, read it (and its derived data),
 * write a marker into it. Every call is asynchronous and authenticated with a bearer token of the entity's
 * tenant. This is the one class that knows the API's paths and bodies.
 */
public final class ReferenceApi {

    /** A completed HTTP exchange: its status and, for entity reads, the marker it carried. */
    public record Reply(int status, long marker) {

        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http;
    private final Function<String, String> bearerTokenOfTenant;
    private final Duration requestTimeout;

    public ReferenceApi(HttpClient http, Function<String, String> bearerTokenOfTenant, Duration requestTimeout) {
        this.http = http;
        this.bearerTokenOfTenant = bearerTokenOfTenant;
        this.requestTimeout = requestTimeout;
    }

    /** Creates an entity carrying {@link Marker#INITIAL}; completes with its id. */
    public CompletableFuture<String> create(URI node, String tenant, Domain domain, int index) {
        ObjectNode body = JSON.createObjectNode();
        if (domain == Domain.WORKFLOWS) {
            body.put("name", "lt-workflow-" + index);
            body.put("description", Marker.format(Marker.INITIAL));
            body.putArray("steps").addObject().put("name", "step-1");
        } else {
            body.put("title", Marker.format(Marker.INITIAL));
            body.put("body", "load-test notification " + index);
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

    /** GET of one entity; the reply carries the marker it holds ({@link Marker#NONE} when none). */
    public CompletableFuture<Reply> read(URI node, EntityRef entity) {
        HttpRequest request = request(node, entity.tenant(), entityPath(entity)).GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).thenApply(response -> {
            long marker = Marker.NONE;
            if (response.statusCode() / 100 == 2) {
                JsonNode field = JSON.readTree(response.body()).get(entity.domain().markerField());
                marker = field == null || field.isNull() ? Marker.NONE : Marker.parse(field.asString());
            }
            return new Reply(response.statusCode(), marker);
        });
    }

    /** GET of the entity's derived data: a workflow's steps, or the tenant's unread notification count. */
    public CompletableFuture<Reply> readDerived(URI node, EntityRef entity) {
        String path = entity.domain() == Domain.WORKFLOWS
                ? entityPath(entity) + "/steps"
                : "/api/notifications/unread-count";
        return sendDiscardingBody(request(node, entity.tenant(), path).GET().build());
    }

    /** PATCH that writes {@code marker} into the entity's marker field. */
    public CompletableFuture<Reply> write(URI node, EntityRef entity, long marker) {
        ObjectNode body = JSON.createObjectNode().put(entity.domain().markerField(), Marker.format(marker));
        HttpRequest request = request(node, entity.tenant(), entityPath(entity))
                .method("PATCH", HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .header("Content-Type", "application/json")
                .build();
        return sendDiscardingBody(request);
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
        String text = new String(body, java.nio.charset.StandardCharsets.UTF_8);
        return text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }
}
