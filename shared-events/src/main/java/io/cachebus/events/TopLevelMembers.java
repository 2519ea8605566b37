package io.cachebus.events;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The members of a message's top-level JSON object, read in one pass of a streaming parser. Decoding is the largest
 * part of what an invalidator's consumers spend their CPU on (every record of the mutation topic), and a whole tree
 * costs a map and a deserialization context per message. A message is a flat object: its scalars become nodes here,
 * and its few nested values (tags, ids, scopes) are read as trees of their own. The parser checks nesting depth and
 * lengths as it does for the tree reader; a duplicate member and anything after the object are refused here, as the
 * tree reader does. A {@link MemberReader} may read some members' values itself: a batch's scopes, whose objects are
 * read member by member here too ({@link ScopesReader}).
 */
final class TopLevelMembers {

    private static final int TYPICAL_MEMBERS = 12;

    private String[] names = new String[TYPICAL_MEMBERS];
    private JsonNode[] values = new JsonNode[TYPICAL_MEMBERS];
    private int size;

    /** Reads the value of a member its own way, or leaves it to the tree reader's way. */
    @FunctionalInterface
    interface MemberReader {

        /** Every value as the tree reader would make it. */
        MemberReader TREES = (name, token, parser, nodes) -> null;

        /**
         * The value of member {@code name}, whose first token {@code token} the parser has just read, read through its
         * last token; or null, having read nothing, to have it read as a tree.
         */
        JsonNode read(String name, JsonToken token, JsonParser parser, JsonNodeFactory nodes);
    }

    private TopLevelMembers() {
    }

    /**
     * The members of the payload's object; empty when the payload is not an object, which the caller then reads
     * whole to say what it is.
     */
    static Optional<TopLevelMembers> read(JsonMapper mapper, byte[] payload) throws JacksonException {
        return read(mapper, payload, MemberReader.TREES);
    }

    /** As {@link #read(JsonMapper, byte[])}, with the values {@code reader} reads read by it. */
    static Optional<TopLevelMembers> read(JsonMapper mapper, byte[] payload, MemberReader reader)
            throws JacksonException {
        try (JsonParser parser = mapper.createParser(payload)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            TopLevelMembers members = members(parser, mapper.getNodeFactory(), reader);
            if (parser.nextToken() != null) {
                throw new EventDecodingException(EventDecodingException.Reason.MALFORMED_JSON, null,
                        "trailing token (" + parser.currentToken() + ") after the object");
            }
            return Optional.of(members);
        }
    }

    /** The members of the object whose start the parser has just read, through its end. */
    static TopLevelMembers members(JsonParser parser, JsonNodeFactory nodes, MemberReader reader) {
        TopLevelMembers members = new TopLevelMembers();
        for (String name = parser.nextName(); name != null; name = parser.nextName()) {
            JsonToken token = parser.nextToken();
            JsonNode value = reader.read(name, token, parser, nodes);
            members.add(name, value != null ? value : value(parser, token, nodes));
        }
        return members;
    }

    /** The value as the tree reader would have made it; arrays are read here too (most are of strings, or empty). */
    static JsonNode value(JsonParser parser, JsonToken token, JsonNodeFactory nodes) {
        return switch (token) {
            case VALUE_STRING -> nodes.stringNode(parser.getString());
            case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
                case INT -> nodes.numberNode(parser.getIntValue());
                case LONG -> nodes.numberNode(parser.getLongValue());
                default -> nodes.numberNode(parser.getBigIntegerValue());
            };
            case VALUE_TRUE, VALUE_FALSE -> nodes.booleanNode(token == JsonToken.VALUE_TRUE);
            case VALUE_NULL -> nodes.nullNode();
            case START_ARRAY -> {
                ArrayNode array = nodes.arrayNode();
                for (JsonToken item = parser.nextToken(); item != JsonToken.END_ARRAY; item = parser.nextToken()) {
                    array.add(value(parser, item, nodes));
                }
                yield array;
            }
            default -> parser.readValueAsTree();
        };
    }

    private void add(String name, JsonNode value) {
        if (get(name) != null) {
            throw duplicate(name);
        }
        if (size == names.length) {
            names = Arrays.copyOf(names, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        names[size] = name;
        values[size++] = value;
    }

    /** The refusal of an object that names a member twice. */
    static EventDecodingException duplicate(String name) {
        return new EventDecodingException(EventDecodingException.Reason.MALFORMED_JSON, null,
                "duplicate member '" + name + "'");
    }

    /** Every member in the order read: what the tree reader's object would hold. */
    Map<String, JsonNode> asMap() {
        Map<String, JsonNode> members = new LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
            members.put(names[i], values[i]);
        }
        return members;
    }

    /**
     * The member's value, or null when the object has no such member. The parser interns the names it reads, so a name
     * asked for as a literal is found by identity; the second pass is for a name the parser could not canonicalize.
     */
    JsonNode get(String name) {
        for (int i = 0; i < size; i++) {
            if (names[i] == name) {
                return values[i];
            }
        }
        for (int i = 0; i < size; i++) {
            if (names[i].equals(name)) {
                return values[i];
            }
        }
        return null;
    }
}
