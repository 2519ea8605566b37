package io.cachebus.events;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/** Text that, put into a valid message, makes it malformed JSON, repeats a member or changes a value's type. */
final class JsonCorruptions {

    private JsonCorruptions() {
    }

    /** Insertions, among them a member of each of {@code names} (repeating it where the message has it). */
    static Arbitrary<String> insertions(String... names) {
        Arbitrary<String> duplicated = Arbitraries.of(names).map(name -> ",\"" + name + "\":\"t2\"");
        return Arbitraries.oneOf(duplicated, Arbitraries.of("", "\"", "{", "}", "[", "]", ",", ":", "0", "-1",
                "99999999999999999999", "1.5", "null", "true", "{\"a\":1,\"a\":1}", "[{\"b\":[],\"b\":1}]", "} {",
                "\\u0074", "\u00e9", " x", "\"tags\":[\"a:b\",[1],{}],"), Arbitraries.strings().ofMaxLength(3));
    }
}
