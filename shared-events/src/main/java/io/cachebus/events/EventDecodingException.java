package io.cachebus.events;

/**
 * A payload the codec refuses. The {@link Reason} and the {@link #field()} go into the dead-letter record's
 * headers, so an operator sees at once what was wrong with a poison message.
 */
public final class EventDecodingException extends RuntimeException {

    public enum Reason {
        MALFORMED_JSON,
        OVERSIZED,
        UNSUPPORTED_SCHEMA_VERSION,
        UNKNOWN_TYPE,
        MISSING_FIELD,
        WRONG_TYPE,
        INVALID_VALUE
    }

    private final Reason reason;
    private final String field;

    public EventDecodingException(Reason reason, String field, String detail) {
        this(reason, field, detail, null);
    }

    public EventDecodingException(Reason reason, String field, String detail, Throwable cause) {
        super(reason + (field == null ? "" : " at '" + field + "'") + ": " + detail, cause);
        this.reason = reason;
        this.field = field;
    }

    public Reason reason() {
        return reason;
    }

    /** The JSON field at fault, or {@code null} when the payload as a whole is (too large, not JSON). */
    public String field() {
        return field;
    }
}
