package io.cachebus.cluster.support.api;

import java.util.Map;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Response bodies read, and their shape (request bodies: {@code io.cachebus.testfixtures.api.Json}). */
public final class JsonShape {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private JsonShape() {
    }

    public static JsonNode read(String json) {
        return MAPPER.readTree(json);
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
