package io.cachebus.events;

import java.util.List;

/** Values that must never pass as a tenant, domain or tag name: each could widen a key or a SCAN pattern. */
final class InvalidNames {

    static final List<String> GLOBS = List.of("*", "t?", "a[b]", "[", "]", "a\\b", "t1*", "^");
    static final List<String> SEPARATORS = List.of("a:b", ":", "t1:", ":t1", "a/b", "a.b");
    static final List<String> WHITESPACE = List.of("a b", " t1", "t1 ", "\t", "a\nb", "a\u00a0b", "a\u2003b");
    /** Cyrillic e, Kelvin sign, dotless i, fullwidth digit, an accent: look alike, are not ASCII. */
    static final List<String> UNICODE = List.of("t\u0435nant", "\u212aey", "t\u0131", "t\uff11", "caf\u00e9", "t1\u0000");
    static final List<String> EMPTY_OR_TOO_LONG = List.of("", "x".repeat(Names.MAX_LENGTH + 1));

    static final List<String> ALL = java.util.stream.Stream.of(GLOBS, SEPARATORS, WHITESPACE, UNICODE, EMPTY_OR_TOO_LONG)
            .flatMap(List::stream)
            .toList();

    private InvalidNames() {
    }
}
