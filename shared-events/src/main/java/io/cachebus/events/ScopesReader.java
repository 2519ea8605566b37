package io.cachebus.events;

import io.cachebus.events.EventDecodingException.Reason;
import io.cachebus.events.EvictionBatch.ScopeEviction;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads the {@code scopes} of a compact broadcast ({@link EvictionBatch}) scope by scope as the parser meets them.
 * Every API node reads every scope of every broadcast, and a backlog's records carry hundreds: a tree per scope (a map,
 * a node per value, every event id parsed) was most of what a node spent per event. Each scope's members are read as
 * {@link TopLevelMembers} reads a message's and checked by the codec as before ({@code scope}).
 *
 * <p>A reader that names a writer reads only that writer's event ids: they serve only to clear the writer's own
 * read-your-writes marks ({@link ScopeEviction#eventIdsWrittenBy}). Other writers' are checked to be arrays of at most
 * {@link EvictionBroadcast#MAX_EVENT_IDS} strings under printable names, and left unread: not parsed as ids, not
 * counted against the scope's {@code events}.
 *
 * <p>The scopes are read as a {@link tools.jackson.databind.node.POJONode} holding either the list or the refusal of
 * its content: the codec reports that only once the message's header says it is a batch, as it does for any other
 * member. Malformed JSON (a duplicate name among them) is refused at once, as the tree reader refuses it.
 */
final class ScopesReader implements TopLevelMembers.MemberReader {

    static final String SCOPES = "scopes";
    private static final String EVENT_IDS_BY_WRITER = "eventIdsByWriter";

    private final Function<Function<String, JsonNode>, ScopeEviction> scope;
    private final String eventIdsOf;

    /**
     * @param scope      a scope from its members, or the codec's refusal naming the field
     * @param eventIdsOf the writer whose event ids are read, or null for every writer's
     */
    ScopesReader(Function<Function<String, JsonNode>, ScopeEviction> scope, String eventIdsOf) {
        this.scope = scope;
        this.eventIdsOf = eventIdsOf;
    }

    @Override
    public JsonNode read(String name, JsonToken token, JsonParser parser, JsonNodeFactory nodes) {
        if (token != JsonToken.START_ARRAY || !named(name, SCOPES)) {
            return null; // not an array: the codec's own check refuses it by type
        }
        TokenStreamContext outside = parser.streamReadContext().getParent();
        try {
            return nodes.pojoNode(scopes(parser, nodes));
        } catch (InvalidNameException | EventDecodingException refused) {
            EventDecodingException refusal = refused instanceof InvalidNameException invalid
                    ? new EventDecodingException(Reason.INVALID_VALUE, invalid.field(), invalid.getMessage(), invalid)
                    : (EventDecodingException) refused;
            if (refusal.reason() == Reason.MALFORMED_JSON) {
                throw refusal;
            }
            // past the array's end, for the members after it: the rest is not checked for duplicate names
            while (parser.currentToken() != null
                    && (parser.currentToken() != JsonToken.END_ARRAY || parser.streamReadContext() != outside)) {
                parser.nextToken();
            }
            return nodes.pojoNode(refusal);
        }
    }

    private List<ScopeEviction> scopes(JsonParser parser, JsonNodeFactory nodes) {
        List<ScopeEviction> scopes = new ArrayList<>();
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            if (token != JsonToken.START_OBJECT) {
                throw new EventDecodingException(Reason.WRONG_TYPE, SCOPES, "must be an array of objects");
            }
            if (scopes.size() == EvictionBatch.MAX_SCOPES) {
                throw new EventDecodingException(Reason.INVALID_VALUE, SCOPES,
                        "more than " + EvictionBatch.MAX_SCOPES + " items");
            }
            scopes.add(scope.apply(TopLevelMembers.members(parser, nodes, this::eventIdsByWriter)::get));
        }
        return scopes;
    }

    /** The scope's {@code eventIdsByWriter} with only the named writer's ids; null (as trees) for every writer's. */
    private JsonNode eventIdsByWriter(String name, JsonToken token, JsonParser parser, JsonNodeFactory nodes) {
        if (eventIdsOf == null || token != JsonToken.START_OBJECT || !named(name, EVENT_IDS_BY_WRITER)) {
            return null;
        }
        JsonNode own = TopLevelMembers.members(parser, nodes, this::otherWritersIds).get(eventIdsOf);
        ObjectNode read = nodes.objectNode();
        if (own != null) {
            read.set(eventIdsOf, own);
        }
        return read;
    }

    /** Another writer's ids, read past (a placeholder is left in their place); null (as a tree) for the named one's. */
    private JsonNode otherWritersIds(String writer, JsonToken token, JsonParser parser, JsonNodeFactory nodes) {
        if (writer.equals(eventIdsOf)) {
            return null;
        }
        DomainMutated.requirePrintable(EVENT_IDS_BY_WRITER, writer, DomainMutated.MAX_SOURCE_NODE_LENGTH);
        skipStrings(parser, token);
        return nodes.nullNode();
    }

    /** An array of at most {@link EvictionBroadcast#MAX_EVENT_IDS} strings, read past without reading them. */
    private static void skipStrings(JsonParser parser, JsonToken token) {
        if (token != JsonToken.START_ARRAY) {
            throw new EventDecodingException(Reason.WRONG_TYPE, EVENT_IDS_BY_WRITER, "must be an array of strings");
        }
        int items = 0;
        for (JsonToken item = parser.nextToken(); item != JsonToken.END_ARRAY; item = parser.nextToken()) {
            if (item != JsonToken.VALUE_STRING) {
                throw new EventDecodingException(Reason.WRONG_TYPE, EVENT_IDS_BY_WRITER, "must be an array of strings");
            }
            if (++items > EvictionBroadcast.MAX_EVENT_IDS) {
                throw new EventDecodingException(Reason.INVALID_VALUE, EVENT_IDS_BY_WRITER,
                        "more than " + EvictionBroadcast.MAX_EVENT_IDS + " items");
            }
        }
    }

    /** The parser interns the names it reads; the second comparison is for one it could not. */
    private static boolean named(String name, String expected) {
        return name == expected || name.equals(expected);
    }
}
