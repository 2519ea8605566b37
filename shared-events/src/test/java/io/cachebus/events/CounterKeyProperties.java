package io.cachebus.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The counter keys check their parts by character loops; what they accept is what the rules' regular expressions
 * accept: a scope is a name or {@code domain:name}, and an entity id of 1 to 64 of {@code [A-Za-z0-9_.-]} is its own
 * key part while any other id goes as a digest.
 */
class CounterKeyProperties {

    private static final Pattern SCOPE = Pattern.compile(Names.REGEX + "(:" + Names.REGEX + ")?");
    private static final Pattern PLAIN_ENTITY = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    @Property(tries = 2000)
    void aScopeIsAcceptedExactlyWhenTheScopeRuleMatchesIt(@ForAll("scopes") String scope) {
        Throwable refused = catchThrowable(() -> CacheKeys.generationKey("tenant-1", scope));

        if (SCOPE.matcher(scope).matches()) {
            assertThat(refused).as(scope).isNull();
        } else {
            assertThat(refused).as(scope).isInstanceOf(InvalidNameException.class);
        }
    }

    @Property(tries = 2000)
    void anEntityIdIsItsOwnKeyPartExactlyWhenItIsPlain(@ForAll("entityIds") String entityId) {
        String key = CacheKeys.entityGenerationKey("tenant-1", "workflows", entityId);
        String part = key.substring(key.indexOf(CacheKeys.ENTITY_MARK) + CacheKeys.ENTITY_MARK.length());

        if (PLAIN_ENTITY.matcher(entityId).matches()) {
            assertThat(part).isEqualTo(entityId);
        } else {
            assertThat(part).as(entityId).startsWith("~").hasSize(33);
        }
    }

    @Provide
    Arbitrary<String> scopes() {
        Arbitrary<String> parts = Arbitraries.strings().withChars("aZ09-_:./ é").ofMaxLength(70);
        return Arbitraries.oneOf(parts, Arbitraries.strings().withChars("ab-_").ofMinLength(1).ofMaxLength(70)
                .list().ofMinSize(1).ofMaxSize(3).map(list -> String.join(":", list)));
    }

    @Provide
    Arbitrary<String> entityIds() {
        return Arbitraries.strings().withChars("aZ09-_.:/ é").ofMinLength(1).ofMaxLength(128).filter(id -> {
            try {
                CacheKeys.requireEntityId("entityId", id);
                return true;
            } catch (InvalidNameException notAnId) {
                return false;
            }
        });
    }
}
