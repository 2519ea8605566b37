package io.cachebus.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/** Names.isValid accepts exactly {@code [A-Za-z0-9_-]{1,64}}, checked against an oracle that uses no regex. */
class NamesProperties {

    /** Everything a hostile or careless caller might put into a name. */
    private static final String[] DANGEROUS = {
            "*", "?", "[", "]", "\\", "^", ":", "/", ".", " ", "\t", "\n", "\r", "\u0000", "\u00a0", "\u2003",
            "\u0435", "\u0430", "\u043e", // Cyrillic e, a, o
            "\u212a", "\u0131", "\u017f", // Kelvin sign, dotless i, long s: case-insensitive matching turns them into ASCII
            "\uff11", "\uff54", "\u00e9", // fullwidth 1 and t, e-acute
            "\ud83d\ude00", "\ud800"}; // an emoji (a surrogate pair), an unpaired surrogate

    @Property(tries = 1000)
    void isValidExactlyForOneTo64AllowedAsciiCharacters(@ForAll("candidates") String candidate) {
        boolean expected = oracle(candidate);
        Statistics.label("valid").collect(expected);

        assertThat(Names.isValid(candidate)).as("isValid(\"%s\")", candidate).isEqualTo(expected);

        Statistics.label("valid").coverage(coverage -> {
            coverage.check(true).percentage(p -> p >= 20);
            coverage.check(false).percentage(p -> p >= 20);
        });
    }

    @Property(tries = 500)
    void requireReturnsAValidNameAndRefusesAnyOtherNamingTheField(@ForAll("candidates") String candidate) {
        if (oracle(candidate)) {
            assertThat(Names.require("tenant", candidate)).isSameAs(candidate);
        } else {
            assertThatThrownBy(() -> Names.require("tenant", candidate))
                    .isInstanceOfSatisfying(InvalidNameException.class, e -> assertThat(e.field()).isEqualTo("tenant"));
        }
    }

    private static boolean oracle(String candidate) {
        if (candidate.isEmpty() || candidate.length() > 64) {
            return false;
        }
        for (char c : candidate.toCharArray()) {
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (!allowed) {
                return false;
            }
        }
        return true;
    }

    @Provide
    Arbitrary<String> candidates() {
        Arbitrary<String> allowedOnly = Arbitraries.strings().withChars(NameArbitraries.NAME_CHARS).ofMinLength(0).ofMaxLength(70);
        // allowed characters with one dangerous fragment somewhere: the hardest inputs to refuse
        Arbitrary<String> oneDangerous = Combinators.combine(allowedOnly, Arbitraries.of(DANGEROUS), Arbitraries.integers().between(0, 70))
                .as((allowed, dangerous, at) -> {
                    int position = Math.min(at, allowed.length());
                    return allowed.substring(0, position) + dangerous + allowed.substring(position);
                });
        Arbitrary<String> anything = Arbitraries.strings().all().ofMaxLength(70);
        return Arbitraries.frequencyOf(Tuple.of(3, allowedOnly), Tuple.of(4, oneDangerous), Tuple.of(1, anything))
                .edgeCases(config -> config.add("", "x".repeat(64), "x".repeat(65), "t\u0435nant", "t1\n", "t1:", "*"));
    }
}
