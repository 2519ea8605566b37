package io.cachebus.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The port of Redis's slot mapping must itself be right, or the hash-slot properties prove nothing. */
class RedisHashSlotTest {

    @Test
    void crc16IsTheXmodemVariantRedisUses() {
        // the check value of CRC-16/XMODEM, also the test vector in Redis's crc16.c
        assertThat(RedisHashSlot.crc16("123456789".getBytes(StandardCharsets.US_ASCII))).isEqualTo(0x31C3);
    }

    @ParameterizedTest(name = "slot of ''{0}'' is {1}")
    @CsvSource(delimiter = '|', value = {
            // values from CLUSTER KEYSLOT of Redis 7
            "foo                      | 12182",
            "bar                      | 5061",
            "somekey                  | 11058",
            "{user1000}.following     | 3443",
            "{user1000}.followers     | 3443",
            "user1000                 | 3443",
    })
    void slotsAreThoseOfClusterKeyslot(String key, int slot) {
        assertThat(RedisHashSlot.of(key)).isEqualTo(slot);
    }

    @ParameterizedTest(name = "''{0}'' hashes ''{1}''")
    @CsvSource(delimiter = '|', value = {
            "foo{bar}baz              | bar",
            "{t1}                     | t1",
            "tenant:t1:w:{t1}h        | t1",
            "foo{}{bar}               | foo{}{bar}",  // an empty first tag: the whole key
            "foo{{bar}}zap            | {bar",        // from the first '{' to the first '}' after it
            "foo{bar}{zap}            | bar",          // only the first tag counts
            "foo{bar                  | foo{bar",      // no closing brace: the whole key
            "foo}bar{                 | foo}bar{",
            "plain                    | plain",
    })
    void theHashedPartFollowsRedisRules(String key, String hashed) {
        assertThat(RedisHashSlot.hashedPart(key)).isEqualTo(hashed);
    }
}
