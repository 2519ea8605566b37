package io.cachebus.testfixtures.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** Request bodies for tests, written by Jackson so no test hand-escapes JSON. */
public final class Json {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Json() {
    }

    public static String write(Object value) {
        return MAPPER.writeValueAsString(value);
    }

    /** An object from alternating names and values; values may be {@code null} (written as JSON null). */
    public static String object(Object... namesAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return write(map);
    }

    public static Map<String, String> step(String name, String action) {
        return Map.of("name", name, "action", action);
    }

    public static String workflow(String name, String status, String description, List<Map<String, String>> steps) {
        return object("name", name, "status", status, "description", description, "steps", steps);
    }
}
