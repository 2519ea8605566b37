package io.cachebus.api.web;

/** Strict parsing of query parameters whose lenient Spring conversion would accept surprising spellings. */
public final class QueryParameters {

    private QueryParameters() {
    }

    /** {@code true} or {@code false} (any case); absent means {@code null}; anything else is a 400 naming {@code name}. */
    public static Boolean optionalBoolean(String name, String value) {
        if (value == null) {
            return null;
        }
        if ("true".equalsIgnoreCase(value)) {
            return Boolean.TRUE;
        }
        if ("false".equalsIgnoreCase(value)) {
            return Boolean.FALSE;
        }
        throw InvalidRequestException.of(name, "must be true or false");
    }
}
