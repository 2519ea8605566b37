package io.cachebus.testfixtures.api;

import java.net.http.HttpHeaders;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One HTTP response as the tests see it: who answered, the status, the headers and the raw body (compared byte for
 * byte), and its JSON.
 */
public record ApiResponse(String node, String method, String path, int status, HttpHeaders headers, String body) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public JsonNode json() {
        return JSON.readTree(body);
    }

    public String contentType() {
        return headers.firstValue("Content-Type").orElse("");
    }

    public long id() {
        return json().get("id").asLong();
    }

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    @Override
    public String toString() {
        return method + " " + path + " on " + node + " -> " + status + " " + body;
    }
}
