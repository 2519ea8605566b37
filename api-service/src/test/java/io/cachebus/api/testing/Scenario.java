package io.cachebus.api.testing;

import io.cachebus.testfixtures.api.ApiClient;
import io.cachebus.testfixtures.api.ApiResponse;
import io.cachebus.testfixtures.api.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import tools.jackson.databind.JsonNode;

/**
 * Every endpoint once or twice, reads and writes of both domains, for one tenant: the same requests whatever the
 * infrastructure does, so runs under different conditions can be compared response by response.
 */
public final class Scenario {

    /**
     * One step: method, path and body (or null) with {@code {workflow}}/{@code {notification}} placeholders for
     * the ids the scenario created, and the status it answers when all is well.
     */
    private record Step(String method, String path, String body, int status) {

        Step(String method, String path, String body) {
            this(method, path, body, switch (method) {
                case "POST" -> 201;
                case "DELETE" -> 204;
                default -> 200;
            });
        }
    }

    private static final List<Step> STEPS = List.of(
            new Step("POST", "/api/workflows", Json.workflow("nightly", "ACTIVE", "runs at night",
                    List.of(Json.step("extract", "sql.select"), Json.step("load", "http.post")))),
            new Step("GET", "/api/workflows", null),
            new Step("GET", "/api/workflows", null),
            new Step("GET", "/api/workflows/{workflow}", null),
            new Step("GET", "/api/workflows/{workflow}", null),
            new Step("GET", "/api/workflows/{workflow}/steps", null),
            new Step("PUT", "/api/workflows/{workflow}", Json.workflow("nightly-2", "PAUSED", null,
                    List.of(Json.step("only", "noop")))),
            new Step("GET", "/api/workflows/{workflow}/steps", null),
            new Step("PATCH", "/api/workflows/{workflow}", Json.object("description", "patched")),
            new Step("GET", "/api/workflows?status=PAUSED&name=night", null),
            new Step("POST", "/api/notifications", Json.object("title", "first", "message", "hello")),
            new Step("POST", "/api/notifications", Json.object("title", "second")),
            new Step("GET", "/api/notifications/unread-count", null),
            new Step("GET", "/api/notifications/unread-count", null),
            new Step("PATCH", "/api/notifications/{notification}", Json.object("read", true)),
            new Step("GET", "/api/notifications/{notification}", null),
            new Step("GET", "/api/notifications/unread-count", null),
            new Step("PATCH", "/api/notifications", Json.object("ids", List.of("{notification}"))),
            new Step("PATCH", "/api/notifications", Json.object("all", true)),
            new Step("GET", "/api/notifications?unread=false", null),
            new Step("GET", "/api/notifications/unread-count", null),
            new Step("DELETE", "/api/notifications/{notification}", null),
            new Step("GET", "/api/notifications/{notification}", null, 404),
            new Step("DELETE", "/api/workflows/{workflow}", null),
            new Step("GET", "/api/workflows/{workflow}", null, 404),
            new Step("GET", "/api/workflows", null));

    private Scenario() {
    }

    public static int size() {
        return STEPS.size();
    }

    /**
     * Runs every step in order; {@code beforeStep} is called with each step's index first (to break things).
     * Fails at the first step that does not answer its expected status.
     */
    public static List<ApiResponse> run(ApiClient api, IntConsumer beforeStep) {
        Map<String, String> ids = new HashMap<>();
        List<ApiResponse> responses = new ArrayList<>();
        for (int i = 0; i < STEPS.size(); i++) {
            beforeStep.accept(i);
            Step step = STEPS.get(i);
            String path = withIds(step.path(), ids);
            String body = withIds(step.body(), ids);
            ApiResponse response = api.send(step.method(), path, body == null ? null : ApiClient.JSON, body);
            if (step.method().equals("POST") && response.status() == 201) {
                ids.putIfAbsent(step.path().contains("workflows") ? "workflow" : "notification",
                        String.valueOf(response.id()));
            }
            if (response.status() != step.status()) {
                throw new AssertionError("scenario step " + i + " expected " + step.status() + ": " + response);
            }
            responses.add(response);
        }
        return responses;
    }

    /** Puts the ids created so far in for their placeholders; a quoted placeholder becomes a JSON number. */
    private static String withIds(String text, Map<String, String> ids) {
        if (text == null) {
            return null;
        }
        for (Map.Entry<String, String> id : ids.entrySet()) {
            text = text.replace("\"{" + id.getKey() + "}\"", id.getValue()).replace("{" + id.getKey() + "}", id.getValue());
        }
        return text;
    }

    /** What must not change between runs: method, path template, status and the shape of the body. */
    public static List<String> outline(List<ApiResponse> responses) {
        List<String> outline = new ArrayList<>();
        for (int i = 0; i < responses.size(); i++) {
            ApiResponse response = responses.get(i);
            outline.add(STEPS.get(i).method() + " " + STEPS.get(i).path() + " -> " + response.status() + " "
                    + (response.body().isEmpty() ? "(no body)" : shape(response.json())));
        }
        return outline;
    }

    /** A JSON value's structure without its values: field names and value types, recursively. */
    public static String shape(JsonNode node) {
        if (node.isObject()) {
            StringBuilder shape = new StringBuilder("{");
            node.propertyStream().sorted(Map.Entry.comparingByKey())
                    .forEach(field -> shape.append(field.getKey()).append(':').append(shape(field.getValue())).append(','));
            return shape.append('}').toString();
        }
        if (node.isArray()) {
            return node.isEmpty() ? "[]" : "[" + shape(node.get(0)) + "]";
        }
        return node.getNodeType().name().toLowerCase();
    }
}
