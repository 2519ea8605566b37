package io.cachebus.api.web;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidNullException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.exc.ValueInstantiationException;

/** Turns a Jackson failure into a {@link FieldViolation} a client can act on, without stack-trace noise. */
public final class JsonErrors {

    private JsonErrors() {
    }

    public static FieldViolation violation(JacksonException e) {
        String field = path(e.getPath());
        if (e instanceof UnrecognizedPropertyException unknown) {
            return new FieldViolation(field, "unknown field; allowed: " + unknown.getKnownPropertyIds().stream()
                    .map(String::valueOf).sorted().collect(Collectors.joining(", ")));
        }
        if (e instanceof InvalidNullException) {
            return new FieldViolation(field, "must not be null");
        }
        if (e instanceof ValueInstantiationException && e.getCause() != null) {
            return new FieldViolation(field, e.getCause().getMessage());
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null && !field.isEmpty()) {
            return new FieldViolation(field, "must be " + describe(mismatch.getTargetType()));
        }
        if (e instanceof StreamReadException) {
            return new FieldViolation("", "malformed JSON: " + e.getOriginalMessage());
        }
        return new FieldViolation(field, e.getOriginalMessage());
    }

    /** {@code steps[0].name} from Jackson's reference chain. */
    static String path(List<JacksonException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : references) {
            if (reference.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String describe(Class<?> type) {
        if (type.isEnum()) {
            return "one of " + List.of(type.getEnumConstants());
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a number";
        }
        if (List.class.isAssignableFrom(type) || Set.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "a JSON object";
    }
}
