package io.cachebus.api.web;

import java.util.ArrayList;
import java.util.List;

/**
 * A validated page request: {@code page} counts from 0, {@code size} is 1 to {@link #MAX_SIZE}, and the page ends
 * within the first {@link #MAX_WINDOW} rows. Absent parameters take their defaults, so {@code ?size=20} and no
 * parameter are one and the same query (and one cache entry). The window bounds both the rows the database skips
 * for one request and the distinct pages (cache entries) one caller can make of a list.
 */
public record PageQuery(int page, int size) {

    public static final int DEFAULT_SIZE = 20;
    public static final int MAX_SIZE = 100;
    /** Most rows a page may reach into: (page + 1) × size. */
    public static final int MAX_WINDOW = 10_000;

    public PageQuery {
        List<FieldViolation> violations = new ArrayList<>();
        if (page < 0) {
            violations.add(new FieldViolation("page", "must be 0 or more"));
        }
        if (size < 1 || size > MAX_SIZE) {
            violations.add(new FieldViolation("size", "must be between 1 and " + MAX_SIZE));
        }
        if (violations.isEmpty() && ((long) page + 1) * size > MAX_WINDOW) {
            violations.add(new FieldViolation("page", "(page + 1) × size must be at most " + MAX_WINDOW
                    + "; narrow the list with a filter instead"));
        }
        if (!violations.isEmpty()) {
            throw new InvalidRequestException(violations);
        }
    }

    public static PageQuery of(Integer page, Integer size) {
        return new PageQuery(page == null ? 0 : page, size == null ? DEFAULT_SIZE : size);
    }

    public long offset() {
        return (long) page * size;
    }
}
