package io.cachebus.loadtest.workload;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The harness's version stamp inside a workflow's description: {@code lt-<n>}, {@code n} the id of the write,
 * increasing over the whole run, so a read tells exactly which write it reflects.
 */
public final class Marker {

    /** The value every entity is created with: description {@code lt-0}, or an unread notification. */
    public static final long INITIAL = 0;

    /** A read whose field does not hold a marker of this harness. */
    public static final long NONE = -1;

    private static final Pattern FORMAT = Pattern.compile("lt-(\\d{1,18})");

    private Marker() {
    }

    public static String format(long marker) {
        if (marker < 0) {
            throw new IllegalArgumentException("markers are not negative: " + marker);
        }
        return "lt-" + marker;
    }

    /** The marker in {@code text}, or {@link #NONE}. */
    public static long parse(String text) {
        if (text == null) {
            return NONE;
        }
        Matcher matcher = FORMAT.matcher(text);
        return matcher.matches() ? Long.parseLong(matcher.group(1)) : NONE;
    }
}
