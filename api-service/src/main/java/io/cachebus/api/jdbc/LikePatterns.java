package io.cachebus.api.jdbc;

import java.util.Locale;

/** A user's "contains" text as a LIKE pattern in which {@code %} and {@code _} match only themselves. */
public final class LikePatterns {

    /** Use as {@code LIKE :pattern ESCAPE '!'}; the same on H2 and PostgreSQL. */
    public static final char ESCAPE = '!';

    private LikePatterns() {
    }

    /** {@code %text%}, lower-cased, for {@code LOWER(column) LIKE :pattern ESCAPE '!'}. */
    public static String containsIgnoringCase(String text) {
        StringBuilder pattern = new StringBuilder("%");
        for (char c : text.toLowerCase(Locale.ROOT).toCharArray()) {
            if (c == '%' || c == '_' || c == ESCAPE) {
                pattern.append(ESCAPE);
            }
            pattern.append(c);
        }
        return pattern.append('%').toString();
    }
}
