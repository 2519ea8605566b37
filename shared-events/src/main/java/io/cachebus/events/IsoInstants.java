package io.cachebus.events;

import java.time.Instant;
import java.time.LocalDate;

/**
 * {@link Instant#parse} for the text every message carries: the form {@link Instant#toString} writes
 * ({@code 2026-12-06T00:35:12.123456Z}), read digit by digit. {@code Instant.parse} builds a parse context, a map of
 * fields and a resolver per call: a quarter of decoding a mutation event. Any other text it accepts (a lower-case
 * {@code t}, an offset, a leap second, a year of more than four digits) is left to it, and so is every refusal.
 */
final class IsoInstants {

    private static final int SHORTEST = "2026-12-06T00:35:12Z".length();
    /** Where the {@code Z} of the shortest form is, and the {@code .} of a fraction. */
    private static final int FRACTION_START = SHORTEST - 1;
    private static final int MAX_FRACTION_DIGITS = 9;
    private static final int SECONDS_PER_DAY = 86_400;

    private IsoInstants() {
    }

    static Instant parse(String text) {
        Instant fast = canonical(text);
        return fast != null ? fast : Instant.parse(text);
    }

    /** The instant, or null when the text is not in the canonical form or names no valid time. */
    private static Instant canonical(String text) {
        int length = text.length();
        if (length < SHORTEST || text.charAt(length - 1) != 'Z' || text.charAt(4) != '-' || text.charAt(7) != '-'
                || text.charAt(10) != 'T' || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        int hour = digits(text, 11, 13);
        int minute = digits(text, 14, 16);
        int second = digits(text, 17, 19);
        int nanos = fraction(text, length);
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59 || nanos < 0) {
            return null;
        }
        LocalDate date = LocalDate.of(year, month, 1);
        if (day > date.lengthOfMonth()) {
            return null;
        }
        long epochDay = date.toEpochDay() + day - 1;
        return Instant.ofEpochSecond(epochDay * SECONDS_PER_DAY + hour * 3600L + minute * 60L + second, nanos);
    }

    /** The nanoseconds of the optional {@code .d} to {@code .ddddddddd} before the {@code Z}; -1 if malformed. */
    private static int fraction(String text, int length) {
        int end = length - 1;
        if (end == FRACTION_START) {
            return 0;
        }
        int digitCount = end - FRACTION_START - 1;
        if (text.charAt(FRACTION_START) != '.' || digitCount < 1 || digitCount > MAX_FRACTION_DIGITS) {
            return -1;
        }
        int value = digits(text, FRACTION_START + 1, end);
        if (value < 0) {
            return -1;
        }
        for (int i = digitCount; i < MAX_FRACTION_DIGITS; i++) {
            value *= 10;
        }
        return value;
    }

    /** The decimal value of the ASCII digits in [from, to); -1 if any is not one. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
