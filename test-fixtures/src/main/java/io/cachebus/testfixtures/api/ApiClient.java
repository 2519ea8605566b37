package io.cachebus.testfixtures.api;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** A real HTTP client against one API node, sending one tenant's bearer token (or none). */
public final class ApiClient {

    public static final String JSON = "application/json";
    public static final String MERGE_PATCH = "application/merge-patch+json";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String node;
    private final String baseUrl;
    private final String token;
    private final Map<String, String> headers;

    /**
     * @param node    the name of the node, in every response and failure message
     * @param baseUrl where the node listens, e.g. {@code http://127.0.0.1:8080}
     * @param token   the bearer token to send, or {@code null} for none
     */
    public ApiClient(String node, String baseUrl, String token) {
        this(node, baseUrl, token, Map.of());
    }

    /** A client of the node listening on {@code port} of the loopback address. */
    public ApiClient(int port, String token) {
        this("127.0.0.1:" + port, "http://127.0.0.1:" + port, token, Map.of());
    }

    private ApiClient(String node, String baseUrl, String token, Map<String, String> headers) {
        this.node = node;
        this.baseUrl = baseUrl;
        this.token = token;
        this.headers = headers;
    }

    public String node() {
        return node;
    }

    /** The same client sending one more header (or another value of a default one) on every request. */
    public ApiClient withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new ApiClient(node, baseUrl, token, Map.copyOf(more));
    }

    public ApiResponse get(String path) {
        return send("GET", path, null, (String) null);
    }

    public ApiResponse post(String path, String json) {
        return send("POST", path, JSON, json);
    }

    public ApiResponse put(String path, String json) {
        return send("PUT", path, JSON, json);
    }

    public ApiResponse patch(String path, String json) {
        return send("PATCH", path, MERGE_PATCH, json);
    }

    public ApiResponse delete(String path) {
        return send("DELETE", path, null, (String) null);
    }

    public ApiResponse send(String method, String path, String contentType, String body) {
        return send(method, path, contentType, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
    }

    /** A request with any body, e.g. a streamed one without Content-Length ({@code BodyPublishers.ofInputStream}). */
    public ApiResponse send(String method, String path, String contentType, HttpRequest.BodyPublisher body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(TIMEOUT)
                .method(method, body)
                .header("Accept", "application/json, application/problem+json");
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        headers.forEach(request::setHeader);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new ApiResponse(node, method, path, response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " on " + node + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(method + " " + path + " on " + node + " interrupted", e);
        }
    }
}
