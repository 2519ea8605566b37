package io.cachebus.testfixtures.api;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A real HTTP client against one API node, sending one tenant's bearer token (or none). */
public final class ApiClient {

    public static final String JSON = "application/json";
    public static final String MERGE_PATCH = "application/merge-patch+json";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String node;
    private final String baseUrl;
    private final String token;

    public ApiClient(String node, String baseUrl, String token) {
        this.node = node;
        this.baseUrl = baseUrl;
        this.token = token;
    }

    public String node() {
        return node;
    }

    public ApiResponse get(String path) {
        return send("GET", path, null, null);
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
        return send("DELETE", path, null, null);
    }

    public ApiResponse send(String method, String path, String contentType, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(TIMEOUT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .header("Accept", "application/json, application/problem+json");
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new ApiResponse(node, method, path, response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(""), response.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " on " + node + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(method + " " + path + " on " + node + " interrupted", e);
        }
    }
}
