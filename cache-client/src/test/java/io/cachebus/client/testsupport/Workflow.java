package io.cachebus.client.testsupport;

import java.util.List;

/** A value shaped like the API's responses: a record of strings and lists, round-tripping through JSON. */
public record Workflow(String id, String name, List<String> steps) {

    public static Workflow named(String name) {
        return new Workflow("w1", name, List.of("draft", "review"));
    }
}
