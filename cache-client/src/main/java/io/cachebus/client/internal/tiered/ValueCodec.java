package io.cachebus.client.internal.tiered;

import java.lang.reflect.Type;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.json.JsonMapper;

/** Cached values as JSON, the form they take in Redis and in the fallback store. */
public final class ValueCodec {

    private final JsonMapper mapper;

    public ValueCodec(JsonMapper mapper) {
        this.mapper = mapper;
    }

    public JavaType type(Class<?> type) {
        return mapper.constructType(type);
    }

    public JavaType type(TypeReference<?> type) {
        return mapper.constructType(type);
    }

    /** The type of a generic declaration, e.g. a method's return type {@code List<Product>}. */
    public JavaType type(Type type) {
        return mapper.constructType(type);
    }

    /** @throws JacksonException when the value cannot be written as JSON */
    public String encode(Object value) {
        return mapper.writeValueAsString(value);
    }

    /** @throws JacksonException when the JSON does not fit the type (e.g. written by an older release) */
    public <T> T decode(String json, JavaType type) {
        return mapper.readValue(json, type);
    }
}
