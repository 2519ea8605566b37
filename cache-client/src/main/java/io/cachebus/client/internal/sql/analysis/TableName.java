package io.cachebus.client.internal.sql.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The name of a table as a statement spells it, reduced to what identifies it for invalidation: its last name part
 * (schema, database and catalog dropped), without quotes.
 *
 * @param name   the unquoted table name, in the case it was written
 * @param quoted whether it was written quoted ({@code "Orders"}, {@code `Orders`}, {@code [Orders]})
 */
public record TableName(String name, boolean quoted) {

    public TableName {
        Objects.requireNonNull(name, "name");
    }

    /**
     * Parses a possibly qualified, possibly quoted name such as {@code orders}, {@code sales."Orders"} or
     * {@code db.sales.orders}; dots inside quotes belong to the name.
     *
     * @throws IllegalArgumentException when the text is empty or its quotes are not closed
     */
    public static TableName parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a table name must not be empty");
        }
        List<String> parts = splitQualified(text.strip());
        String last = parts.get(parts.size() - 1);
        if (last.isEmpty()) {
            throw new IllegalArgumentException("a table name must not end with '.': " + text);
        }
        return ofIdentifier(last);
    }

    /** One identifier as a parser returns it, quotes included. */
    public static TableName ofIdentifier(String identifier) {
        char first = identifier.charAt(0);
        char closing = closingQuote(first);
        if (closing != 0 && identifier.length() >= 2 && identifier.charAt(identifier.length() - 1) == closing) {
            String inner = identifier.substring(1, identifier.length() - 1);
            // a doubled closing quote inside a quoted identifier stands for one
            return new TableName(inner.replace(String.valueOf(closing) + closing, String.valueOf(closing)), true);
        }
        return new TableName(identifier, false);
    }

    /**
     * The name compared across statements: lower-cased, whether quoted or not. Unquoted names are case-insensitive
     * in SQL; folding quoted ones too can only make two differently-cased quoted tables share a scope, which costs
     * extra invalidations and never a stale read.
     */
    public String folded() {
        return name.toLowerCase(Locale.ROOT);
    }

    /**
     * Whether a reference spelled like this one can only mean the same relation under every dialect's folding
     * rules: both unquoted and equal ignoring case, or spelled identically.
     */
    public boolean certainlySameAs(TableName other) {
        if (!quoted && !other.quoted) {
            return name.equalsIgnoreCase(other.name);
        }
        return quoted == other.quoted && name.equals(other.name);
    }

    @Override
    public String toString() {
        return quoted ? '"' + name + '"' : name;
    }

    private static List<String> splitQualified(String text) {
        List<String> parts = new ArrayList<>(3);
        StringBuilder current = new StringBuilder();
        char closing = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (closing != 0) {
                current.append(c);
                if (c == closing) {
                    boolean doubled = i + 1 < text.length() && text.charAt(i + 1) == closing && closing != ']';
                    if (doubled) {
                        current.append(text.charAt(++i));
                    } else {
                        closing = 0;
                    }
                }
            } else if (c == '.') {
                parts.add(current.toString().strip());
                current.setLength(0);
            } else {
                closing = closingQuote(c);
                current.append(c);
            }
        }
        if (closing != 0) {
            throw new IllegalArgumentException("unclosed quote in table name: " + text);
        }
        parts.add(current.toString().strip());
        return parts;
    }

    private static char closingQuote(char opening) {
        switch (opening) {
            case '"':
                return '"';
            case '`':
                return '`';
            case '[':
                return ']';
            default:
                return 0;
        }
    }
}
