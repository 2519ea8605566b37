package io.cachebus.events;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The port of Redis's matcher must itself be right, or the isolation properties prove nothing. */
class RedisGlobTest {

    @ParameterizedTest(name = "''{0}'' matches ''{1}''")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "h?llo      | hello",
            "h?llo      | hallo",
            "h*llo      | hllo",
            "h*llo      | heeeello",
            "h[ae]llo   | hello",
            "h[ae]llo   | hallo",
            "h[^e]llo   | hallo",
            "h[^e]llo   | hbllo",
            "h[a-b]llo  | hallo",
            "h[a-b]llo  | hbllo",
            "h[b-a]llo  | hbllo",             // a reversed range is swapped
            "h\\*llo    | h*llo",
            "h\\?llo    | h?llo",
            "h[\\]]llo  | h]llo",
            "h[ae       | ha",                // an unclosed class ends with the pattern
            "a*         | a",
            "*a         | bba",
            "a**b       | ab",
            "tenant:t1:workflows:* | tenant:t1:workflows:abc",
            "tenant:t1:workflows:* | tenant:t1:workflows:steps:abc",
            "t??nant    | t\u0435nant",       // Cyrillic e is two bytes in UTF-8, and ? matches one byte
    })
    void matches(String pattern, String string) {
        assertThat(RedisGlob.matches(pattern, string)).isTrue();
    }

    @ParameterizedTest(name = "''{0}'' does not match ''{1}''")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "h?llo      | hllo",
            "h?llo      | heello",
            "h*llo      | hellx",
            "h[ae]llo   | hillo",
            "h[^e]llo   | hello",
            "h[a-b]llo  | hcllo",
            "h\\*llo    | hello",
            "h\\?llo    | hello",
            "*          | \"\"",              // Redis's matcher never matches an empty string
            "a*a*a*b    | aaaaaaaa",
            "t?nant     | t\u0435nant",
            "[a-z]      | \u00e9",            // bytes above 0x7F are negative as signed chars
            "tenant:t1:workflows:* | tenant:t10:workflows:abc",
            "tenant:t10:workflows:* | tenant:t1:workflows:abc",
            "tenant:t1:workflows:* | tenant:t1:workflows",
            "tenant:t1:workflows:* | tenant:t1:workflows-x:abc",
    })
    void doesNotMatch(String pattern, String string) {
        assertThat(RedisGlob.matches(pattern, string)).isFalse();
    }
}
