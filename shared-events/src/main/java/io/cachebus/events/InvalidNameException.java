package io.cachebus.events;

/**
 * A tenant, domain or tag value that could smuggle a glob, a separator or whitespace into a cache key
 * or a SCAN pattern. Names the offending field so the caller can report it (HTTP 400, dead-letter reason).
 */
public final class InvalidNameException extends IllegalArgumentException {

    private final String field;

    public InvalidNameException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
