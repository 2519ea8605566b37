package io.cachebus.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** The codec's instant reader reads what {@link Instant#parse} reads and refuses what it refuses. */
class IsoInstantsProperties {

    /** 0000-01-01T00:00:00Z and 9999-12-31T23:59:59.999999999Z: the four-digit years the fast path reads. */
    private static final long FIRST_FOUR_DIGIT_SECOND = -62_167_219_200L;
    private static final long LAST_FOUR_DIGIT_SECOND = 253_402_300_799L;

    @Property(tries = 2000)
    void everyInstantTextIsReadAsInstantParseReadsIt(@ForAll("instants") Instant instant) {
        assertThat(IsoInstants.parse(instant.toString())).isEqualTo(instant);
    }

    @Property(tries = 2000)
    void aCorruptedInstantIsReadOrRefusedAsInstantParseDoes(@ForAll("instants") Instant instant,
            @ForAll @IntRange(max = 100) int position, @ForAll("replacements") String replacement) {
        String text = instant.toString();
        int at = position % text.length();
        assertReadAsInstantParseReads(text.substring(0, at) + replacement + text.substring(at + 1));
    }

    @Example
    void theEdgesOfTheCalendarAreReadAsInstantParseReadsThem() {
        for (String text : new String[] {"2024-02-29T00:00:00Z", "2023-02-29T00:00:00Z", "2100-02-29T00:00:00Z",
                "2000-02-29T23:59:59.999999999Z", "2026-04-31T00:00:00Z", "2026-12-31T24:00:00Z",
                "2026-12-31T23:59:60Z", "2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z", "2026-12-00T00:00:00Z",
                "2026-12-06T00:35:12.Z", "2026-12-06T00:35:12.1234567890Z", "2026-12-06t00:35:12z",
                "2026-12-06T00:35:12+01:00", "+12026-12-06T00:35:12Z", "0000-01-01T00:00:00Z", "2026-12-06T00:35Z",
                "2026-12-06T00:35:12.5Z", "2026-1-06T00:35:12Z", "2026-12-06T00:35:1Z", "2026-12-06 00:35:12Z"}) {
            assertReadAsInstantParseReads(text);
        }
    }

    @Provide
    Arbitrary<Instant> instants() {
        Arbitrary<Long> fourDigitYears = Arbitraries.longs().between(FIRST_FOUR_DIGIT_SECOND, LAST_FOUR_DIGIT_SECOND);
        Arbitrary<Long> anyYear = Arbitraries.longs().between(Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond());
        Arbitrary<Integer> nanos = Arbitraries.oneOf(Arbitraries.integers().between(0, 999_999_999),
                Arbitraries.integers().between(0, 999).map(millis -> millis * 1_000_000), Arbitraries.just(0));
        return Combinators.combine(Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(9, fourDigitYears), net.jqwik.api.Tuple.of(1, anyYear)), nanos)
                .as(Instant::ofEpochSecond);
    }

    @Provide
    Arbitrary<String> replacements() {
        return Arbitraries.oneOf(Arbitraries.of("", "0", "9", "1", "3", "-", ":", "T", "t", "Z", "z", ".", "+", " ",
                "00", "60", "24", "\u0660"), Arbitraries.strings().ofMaxLength(2));
    }

    private static void assertReadAsInstantParseReads(String text) {
        Instant expected;
        try {
            expected = Instant.parse(text);
        } catch (DateTimeParseException refused) {
            assertThat(catchThrowable(() -> IsoInstants.parse(text))).as(text)
                    .isInstanceOf(DateTimeParseException.class);
            return;
        }
        assertThat(IsoInstants.parse(text)).as(text).isEqualTo(expected);
    }
}
