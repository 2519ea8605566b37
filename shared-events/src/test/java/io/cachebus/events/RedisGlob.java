package io.cachebus.events;

import java.nio.charset.StandardCharsets;

/**
 * A faithful Java port of Redis's glob matcher ({@code stringmatchlen} in Redis 7's {@code util.c}), the
 * function behind {@code SCAN MATCH}, {@code KEYS} and {@code PSUBSCRIBE}. The isolation properties check
 * patterns against this rather than against a regex of our own, so they test what Redis actually does.
 *
 * <p>Like Redis it works on bytes (the UTF-8 encoding), compares them as signed chars (x86 {@code char}), and
 * reads a NUL past the end of the pattern where the C code relies on the sds terminator.
 */
public final class RedisGlob {

    /** Redis's guard against abusive patterns: deeper recursion than this never matches. */
    private static final int MAX_NESTING = 1000;

    private final byte[] pattern;
    private final byte[] string;
    /** Redis's {@code skipLongerMatches}: once set, no earlier {@code *} can match by consuming more. */
    private boolean skipLongerMatches;

    private RedisGlob(byte[] pattern, byte[] string) {
        this.pattern = pattern;
        this.string = string;
    }

    public static boolean matches(String pattern, String string) {
        byte[] patternBytes = pattern.getBytes(StandardCharsets.UTF_8);
        byte[] stringBytes = string.getBytes(StandardCharsets.UTF_8);
        return new RedisGlob(patternBytes, stringBytes).match(0, patternBytes.length, 0, stringBytes.length, 0);
    }

    /** The pattern byte at {@code index}, or NUL past its end (the C string's terminator). */
    private byte p(int index) {
        return index < pattern.length ? pattern[index] : 0;
    }

    private byte s(int index) {
        return index < string.length ? string[index] : 0;
    }

    private boolean match(int pi, int patternLen, int si, int stringLen, int nesting) {
        if (nesting > MAX_NESTING) {
            return false;
        }
        while (patternLen > 0 && stringLen > 0) {
            switch (p(pi)) {
                case '*':
                    while (patternLen > 0 && p(pi + 1) == '*') {
                        pi++;
                        patternLen--;
                    }
                    if (patternLen == 1) {
                        return true;
                    }
                    while (stringLen > 0) {
                        if (match(pi + 1, patternLen - 1, si, stringLen, nesting + 1)) {
                            return true;
                        }
                        if (skipLongerMatches) {
                            return false;
                        }
                        si++;
                        stringLen--;
                    }
                    skipLongerMatches = true;
                    return false;
                case '?':
                    si++;
                    stringLen--;
                    break;
                case '[': {
                    pi++;
                    patternLen--;
                    boolean negated = p(pi) == '^';
                    if (negated) {
                        pi++;
                        patternLen--;
                    }
                    boolean matched = false;
                    while (true) {
                        if (p(pi) == '\\' && patternLen >= 2) {
                            pi++;
                            patternLen--;
                            if (p(pi) == s(si)) {
                                matched = true;
                            }
                        } else if (p(pi) == ']') {
                            break;
                        } else if (patternLen == 0) {
                            pi--;
                            patternLen++;
                            break;
                        } else if (patternLen >= 3 && p(pi + 1) == '-') {
                            int start = p(pi);
                            int end = p(pi + 2);
                            int c = s(si);
                            if (start > end) {
                                int swap = start;
                                start = end;
                                end = swap;
                            }
                            pi += 2;
                            patternLen -= 2;
                            if (c >= start && c <= end) {
                                matched = true;
                            }
                        } else if (p(pi) == s(si)) {
                            matched = true;
                        }
                        pi++;
                        patternLen--;
                    }
                    if (negated) {
                        matched = !matched;
                    }
                    if (!matched) {
                        return false;
                    }
                    si++;
                    stringLen--;
                    break;
                }
                case '\\':
                    if (patternLen >= 2) {
                        pi++;
                        patternLen--;
                    }
                    // fall through: the escaped byte is compared literally
                default:
                    if (p(pi) != s(si)) {
                        return false;
                    }
                    si++;
                    stringLen--;
                    break;
            }
            pi++;
            patternLen--;
            if (stringLen == 0) {
                while (p(pi) == '*') {
                    pi++;
                    patternLen--;
                }
                break;
            }
        }
        return patternLen == 0 && stringLen == 0;
    }
}
