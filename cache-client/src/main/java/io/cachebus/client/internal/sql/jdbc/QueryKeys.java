package io.cachebus.client.internal.sql.jdbc;

import io.cachebus.client.CacheKey;
import io.cachebus.client.internal.sql.analysis.SqlAnalyzer;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.SqlParameterValue;

/**
 * The {@link CacheKey}s of SQL results and tagged entries. An entry's scopes are sorted, so the same set of tables
 * always gives the same key: the first is the key's domain (its Redis prefix), the others its {@code dependsOn}.
 */
final class QueryKeys {

    static final String QUERY_RESOURCE = "sql/";
    static final String TAGGED_RESOURCE = "tagged/";

    /** What {@code Object.toString()} returns: not the value, so it cannot tell two arguments apart. */
    private static final Pattern OBJECT_TO_STRING = Pattern.compile("[\\w.$]+@[0-9a-f]+");

    private QueryKeys() {
    }

    /**
     * The key of a query's result, or empty when an argument has no value-based text (a different argument could
     * then share the key, so the read is not cached).
     */
    static Optional<CacheKey> query(String tenant, Collection<String> scopes, String sql, List<Object> positional,
            Map<String, Object> named, String rowMapping) {
        Optional<String> arguments = argumentsText(positional, named);
        return arguments.map(text -> keyOf(tenant, scopes, QUERY_RESOURCE + SqlAnalyzer.digest(sql))
                .param("arguments", SqlAnalyzer.digest(text))
                .param("rows", rowMapping)
                .build());
    }

    static CacheKey tagged(String tenant, Collection<String> scopes, String key) {
        return keyOf(tenant, scopes, TAGGED_RESOURCE + key).build();
    }

    private static CacheKey.Builder keyOf(String tenant, Collection<String> scopes, String resource) {
        SortedSet<String> sorted = new TreeSet<>(scopes);
        if (sorted.isEmpty()) {
            throw new IllegalArgumentException("an entry needs at least one scope");
        }
        CacheKey.Builder builder = CacheKey.of(tenant, sorted.first()).resource(resource);
        sorted.stream().skip(1).forEach(builder::dependsOn);
        return builder;
    }

    /** An unambiguous text of every argument: type, length and value, so no two argument lists share it. */
    static Optional<String> argumentsText(List<Object> positional, Map<String, Object> named) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < positional.size(); i++) {
            text.append('#').append(i).append('=');
            if (!append(positional.get(i), text)) {
                return Optional.empty();
            }
        }
        for (Map.Entry<String, Object> parameter : new TreeMap<>(named).entrySet()) {
            text.append(':').append(parameter.getKey().length()).append(':').append(parameter.getKey()).append('=');
            if (!append(parameter.getValue(), text)) {
                return Optional.empty();
            }
        }
        return Optional.of(text.toString());
    }

    private static boolean append(Object value, StringBuilder text) {
        if (value == null) {
            text.append("null;");
            return true;
        }
        if (value instanceof SqlParameterValue typed) {
            text.append("sqlType").append(typed.getSqlType()).append('/').append(typed.getScale()).append('/')
                    .append(typed.getTypeName()).append('(');
            boolean readable = append(typed.getValue(), text);
            text.append(')');
            return readable;
        }
        if (value instanceof byte[] bytes) {
            return appendText("bytes", Base64.getEncoder().encodeToString(bytes), text);
        }
        if (value instanceof Object[] array) {
            return appendAll(List.of(array), text);
        }
        if (value instanceof Collection<?> items) {
            return appendAll(items, text);
        }
        if (value instanceof java.sql.Timestamp timestamp) {
            // toString() is in the JVM's time zone; the instant and the nanoseconds are the value
            return appendText(value.getClass().getName(), timestamp.getTime() + "." + timestamp.getNanos(), text);
        }
        if (value instanceof java.util.Date date) {
            // java.util.Date.toString() drops the milliseconds
            return appendText(value.getClass().getName(), String.valueOf(date.getTime()), text);
        }
        String string = String.valueOf(value);
        if (OBJECT_TO_STRING.matcher(string).matches()) {
            return false;
        }
        return appendText(value.getClass().getName(), string, text);
    }

    private static boolean appendAll(Collection<?> items, StringBuilder text) {
        text.append('[').append(items.size()).append(':');
        for (Object item : items) {
            if (!append(item, text)) {
                return false;
            }
        }
        text.append(']');
        return true;
    }

    private static boolean appendText(String type, String value, StringBuilder text) {
        text.append(type).append(':').append(value.length()).append(':').append(value).append(';');
        return true;
    }
}
