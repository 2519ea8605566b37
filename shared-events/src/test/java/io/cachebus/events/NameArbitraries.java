package io.cachebus.events;

import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ArbitrarySupplier;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Generators of valid tenant, domain and tag names and of hashes, biased towards the cases that break naive
 * prefix matching: names that are prefixes of each other ({@code t1}/{@code t10}), that differ in one character
 * or only in case. Public so the real-Redis properties in local-infra use the same generators.
 */
public final class NameArbitraries {

    public static final String NAME_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";

    /** Two different valid names and how they relate, e.g. "a is a prefix of b". */
    public record NamePair(String a, String b) {

        public NamePair {
            if (a.equals(b)) {
                throw new IllegalArgumentException("a pair of equal names: " + a);
            }
        }

        /** How the two names relate, for jqwik statistics: the interesting relations must come up. */
        public String relation() {
            if (b.startsWith(a)) {
                return "a is a prefix of b";
            }
            if (a.startsWith(b)) {
                return "b is a prefix of a";
            }
            if (a.equalsIgnoreCase(b)) {
                return "differ only in case";
            }
            if (a.length() == b.length() && differingChars(a, b) == 1) {
                return "differ in one character";
            }
            return "otherwise different";
        }

        private static long differingChars(String a, String b) {
            return java.util.stream.IntStream.range(0, a.length()).filter(i -> a.charAt(i) != b.charAt(i)).count();
        }
    }

    private NameArbitraries() {
    }

    /** Valid names, mostly short, so that generated names share prefixes and now and then are equal. */
    public static Arbitrary<String> names() {
        Arbitrary<String> shortFromFewChars = Arbitraries.strings().withChars("t1T0_-").ofMinLength(1).ofMaxLength(4);
        Arbitrary<String> anyValid = Arbitraries.strings().withChars(NAME_CHARS).ofMinLength(1).ofMaxLength(Names.MAX_LENGTH);
        return Arbitraries.frequencyOf(Tuple.of(3, shortFromFewChars), Tuple.of(2, anyValid))
                .edgeCases(config -> config.add("t1", "t10", "T1", "_", "-", "x".repeat(Names.MAX_LENGTH)));
    }

    /** Valid domain names: the real ones, their near misses and arbitrary names. */
    public static Arbitrary<String> domains() {
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.of("workflows", "notifications", "workflow", "workflows-x", "Workflows")),
                Tuple.of(2, names()));
    }

    /** Valid hash parts of keys: ':'-separated parts of letters, digits, '-', '_' and '.'. */
    public static Arbitrary<String> hashes() {
        return Arbitraries.strings().withChars(NAME_CHARS + ".").ofMinLength(1).ofMaxLength(12)
                .list().ofMinSize(1).ofMaxSize(3)
                .map(parts -> String.join(":", parts));
    }

    /** Two different valid names, most of them close relatives of each other. */
    public static Arbitrary<NamePair> distinctPairs() {
        Arbitrary<NamePair> relatives = names().flatMap(base -> Combinators.combine(relativeOf(base), Arbitraries.of(true, false))
                .as((other, baseFirst) -> baseFirst ? new NamePair(base, other) : new NamePair(other, base)));
        Arbitrary<NamePair> unrelated = Combinators.combine(names(), names())
                .filter((a, b) -> !a.equals(b))
                .as(NamePair::new);
        Arbitrary<NamePair> known = Arbitraries.of(
                new NamePair("t1", "t10"), new NamePair("t10", "t1"), new NamePair("t1", "t1_"),
                new NamePair("t-1", "t_1"), new NamePair("t1", "T1"), new NamePair("t1", "t2"));
        return Arbitraries.frequencyOf(Tuple.of(6, relatives), Tuple.of(2, unrelated), Tuple.of(1, known));
    }

    /** Two to four different valid names, built around one so that several are prefixes of each other. */
    public static Arbitrary<List<String>> relatedGroups() {
        return names().flatMap(base -> relativeOf(base).list().ofMinSize(1).ofMaxSize(3)
                        .map(others -> Stream.concat(Stream.of(base), others.stream()).distinct().toList()))
                .filter(group -> group.size() >= 2);
    }

    /** A valid name different from {@code base} and close to it: longer, shorter, one char changed, case flipped. */
    public static Arbitrary<String> relativeOf(String base) {
        Arbitrary<Character> nameChar = Arbitraries.of(NAME_CHARS.toCharArray());
        Arbitrary<String> extended = names().map(suffix -> base + suffix);
        Arbitrary<String> truncated = Arbitraries.integers().between(1, Math.max(1, base.length() - 1))
                .map(length -> base.substring(0, length));
        Arbitrary<String> oneCharChanged = Combinators.combine(Arbitraries.integers().between(0, base.length() - 1), nameChar)
                .as((index, c) -> base.substring(0, index) + c + base.substring(index + 1));
        Arbitrary<String> caseFlipped = Arbitraries.just(flipCase(base));
        return Arbitraries.frequencyOf(
                        Tuple.of(3, extended), Tuple.of(2, truncated), Tuple.of(3, oneCharChanged), Tuple.of(1, caseFlipped))
                .filter(other -> Names.isValid(other) && !other.equals(base));
    }

    private static String flipCase(String name) {
        StringBuilder flipped = new StringBuilder(name.length());
        for (char c : name.toCharArray()) {
            flipped.append(Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c));
        }
        return flipped.toString();
    }

    // The same arbitraries as suppliers, for @ForAll(supplier = ...) in any property class (no @Provide method each).

    public static final class NameSupplier implements ArbitrarySupplier<String> {
        @Override
        public Arbitrary<String> get() {
            return names();
        }
    }

    public static final class DomainSupplier implements ArbitrarySupplier<String> {
        @Override
        public Arbitrary<String> get() {
            return domains();
        }
    }

    public static final class HashSupplier implements ArbitrarySupplier<String> {
        @Override
        public Arbitrary<String> get() {
            return hashes();
        }
    }

    public static final class DistinctPairSupplier implements ArbitrarySupplier<NamePair> {
        @Override
        public Arbitrary<NamePair> get() {
            return distinctPairs();
        }
    }

    public static final class RelatedGroupSupplier implements ArbitrarySupplier<List<String>> {
        @Override
        public Arbitrary<List<String>> get() {
            return relatedGroups();
        }
    }
}
