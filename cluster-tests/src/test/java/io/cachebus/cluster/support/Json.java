package io.cachebus.cluster.support;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Request bodies written by Jackson (no hand-escaped JSON), and the shape of a response body. */
public final class Json {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Json() {
    }

    public static String write(Object value) {
        return MAPPER.writeValueAsString(value);
    }

    public static JsonNode read(String json) {
        return MAPPER.readTree(json);
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

    /**
     * The field names of a JSON value, recursively, without the values: {@code {id,name,steps:[{action,name}]}}.
     * Two bodies of one schema have the same shape whatever their data (a null and a text field alike); an array's
     * shape is the union of its elements' shapes.
     */
    public static String fieldShape(JsonNode node) {
        if (node.isObject()) {
            StringBuilder shape = new StringBuilder("{");
            node.propertyStream().sorted(Map.Entry.comparingByKey()).forEach(field -> {
                shape.append(field.getKey());
                String inner = fieldShape(field.getValue());
                if (!inner.isEmpty()) {
                    shape.append(':').append(inner);
                }
                shape.append(',');
            });
            return shape.append('}').toString();
        }
        if (node.isArray()) {
            TreeSet<String> elements = new TreeSet<>();
            node.values().forEach(element -> elements.add(fieldShape(element)));
            return "[" + String.join("|", elements) + "]";
        }
        return "";
    }
}
