package io.cachebus.api.testing;

import java.net.http.HttpHeaders;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** One HTTP response as the tests see it: status, headers, raw body (compared byte for byte) and its JSON. */
public record ApiResponse(String method, String path, int status, HttpHeaders headers, String body) {

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

    @Override
    public String toString() {
        return method + " " + path + " -> " + status + " " + body;
    }
}
