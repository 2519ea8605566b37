package io.cachebus.events;

/**
 * Validation of the names that end up inside cache keys and SCAN patterns.
 *
 * <p>Only ASCII letters, digits, {@code -} and {@code _} are allowed, 1 to 64 characters. That excludes
 * every Redis glob metacharacter ({@code * ? [ ] \}), the key separator {@code :}, whitespace and unicode
 * look-alikes, so a prefix built from a valid tenant can only ever match that tenant's keys.
 */
public final class Names {

    public static final int MAX_LENGTH = 64;

    /** The regular expression of one valid name, for building larger patterns of names. */
    public static final String REGEX = "[A-Za-z0-9_-]{1," + MAX_LENGTH + "}";

    private Names() {
    }

    public static boolean isValid(String value) {
        return value != null && !value.isEmpty() && value.length() <= MAX_LENGTH && allowedCharactersOnly(value);
    }

    /** Returns {@code value} when it is a valid name, else throws naming {@code field}. */
    public static String require(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw new InvalidNameException(field, "must not be empty");
        }
        if (value.length() > MAX_LENGTH) {
            throw new InvalidNameException(field, "longer than " + MAX_LENGTH + " characters");
        }
        if (!allowedCharactersOnly(value)) {
            throw new InvalidNameException(field, "only ASCII letters, digits, '-' and '_' are allowed");
        }
        return value;
    }

    /**
     * What {@link #REGEX} matches once the length is known to fit, checked without a regex: every cache read builds the
     * scopes of its key, each naming a tenant and a domain, and a regex match would allocate a matcher for each.
     */
    private static boolean allowedCharactersOnly(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (!isNameCharacter(value.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** An ASCII letter, digit, {@code -} or {@code _}: a character of {@link #REGEX}. */
    static boolean isNameCharacter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }
}
