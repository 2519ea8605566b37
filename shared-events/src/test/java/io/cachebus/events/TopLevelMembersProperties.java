package io.cachebus.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The codec reads a message's object member by member ({@link TopLevelMembers}) instead of as a tree: for any payload,
 * what it reads is what the tree reader reads, and what either refuses the other refuses too (a duplicate name at any
 * depth, content after the object, malformed JSON).
 */
class TopLevelMembersProperties {

    private static final JsonMapper MAPPER = EventCodec.newMapper();
    private static final String VALID = new String(new EventCodec().encode(new DomainMutated(
            UUID.fromString("0f8fad5b-d9cb-469f-a165-70867728950e"), "tenant-1", "workflows", Operation.PATCH,
            Optional.of("wf-1"), List.of(new Tag("steps", "wf-1")), Instant.parse("2026-12-06T00:35:12.123456Z"),
            "api-1", 1)), StandardCharsets.UTF_8);

    @Property(tries = 1000)
    void aCorruptedMessageHasTheMembersTheTreeReaderFinds(@ForAll @IntRange(max = 10_000) int position,
            @ForAll("insertions") String insertion, @ForAll @IntRange(max = 2) int replaced) {
        int at = position % VALID.length();
        int end = Math.min(VALID.length(), at + replaced);
        assertReadAsTheTreeReaderReads(VALID.substring(0, at) + insertion + VALID.substring(end));
    }

    @Example
    void edgeCasesAreReadAsTheTreeReaderReadsThem() {
        for (String payload : new String[] {"", " ", "null", "[]", "[{\"a\":1,\"a\":2}]", "{}", "{} ", "{}{}", "{} x",
                "{\"a\":1,\"a\":2}", "{\"a\":1,\"b\":{\"c\":[{\"d\":1,\"d\":1}]}}", "{\"\\u0074ype\":1,\"type\":2}",
                "{\"a\":[1,[2,[3]],{\"b\":null}],\"c\":1.5,\"d\":1e400,\"e\":-9223372036854775809,\"f\":true}",
                "{\"a\":[[[[[[[[[[1]]]]]]]]]]}", "{\"a\":\"\\ud800\"}", "{\"a\":1"}) {
            assertReadAsTheTreeReaderReads(payload);
        }
    }

    @Provide
    Arbitrary<String> insertions() {
        return JsonCorruptions.insertions("tenant", "schema", "type", "tags", "x");
    }

    private static void assertReadAsTheTreeReaderReads(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        JsonNode tree;
        try {
            tree = MAPPER.readTree(payload);
        } catch (JacksonException refused) {
            assertThat(refusal(payload)).as("refused by the tree reader (%s): %s", refused.getOriginalMessage(), text)
                    .isTrue();
            return;
        }
        Optional<TopLevelMembers> members = TopLevelMembers.read(MAPPER, payload);
        if (!tree.isObject()) {
            assertThat(members).as("not an object: %s", text).isEmpty();
            return;
        }
        assertThat(members).as("an object: %s", text).isPresent();
        assertThat(members.get().asMap()).as(text).isEqualTo(tree.properties().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
        tree.properties().forEach(member -> assertThat(members.get().get(member.getKey())).isEqualTo(member.getValue()));
    }

    /**
     * Whether the member reader refuses the payload as malformed, or finds no object in it (the codec then has the
     * tree reader say what is wrong with it).
     */
    private static boolean refusal(byte[] payload) {
        try {
            return TopLevelMembers.read(MAPPER, payload).isEmpty();
        } catch (JacksonException refused) {
            return true;
        } catch (EventDecodingException refused) {
            return refused.reason() == EventDecodingException.Reason.MALFORMED_JSON;
        }
    }
}
