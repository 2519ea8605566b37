package io.cachebus.events;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A faithful Java port of Redis Cluster's key-to-slot mapping ({@code keyHashSlot} and {@code crc16} in Redis 7's
 * {@code cluster.c} and {@code crc16.c}). The hash-slot properties check keys against this rather than against our
 * own idea of hash tags, so they test what a cluster actually does; local-infra checks it against
 * {@code CLUSTER KEYSLOT} of a real cluster.
 */
public final class RedisHashSlot {

    public static final int SLOTS = 16384;

    private RedisHashSlot() {
    }

    /** The slot of {@code key}, 0 to 16383. */
    public static int of(String key) {
        return crc16(hashedPart(key.getBytes(StandardCharsets.UTF_8))) & (SLOTS - 1);
    }

    /**
     * The part of {@code key} Redis hashes: the text between the first <code>{</code> and the first <code>}</code>
     * after it, if that text is not empty; otherwise the whole key.
     */
    public static String hashedPart(String key) {
        return new String(hashedPart(key.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    private static byte[] hashedPart(byte[] key) {
        int open = 0;
        while (open < key.length && key[open] != '{') {
            open++;
        }
        if (open == key.length) {
            return key;
        }
        int close = open + 1;
        while (close < key.length && key[close] != '}') {
            close++;
        }
        if (close == key.length || close == open + 1) {
            return key;
        }
        return Arrays.copyOfRange(key, open + 1, close);
    }

    /** CRC16-CCITT (XMODEM): polynomial 0x1021, initial value 0, as Redis computes it. */
    static int crc16(byte[] bytes) {
        int crc = 0;
        for (byte b : bytes) {
            crc ^= (b & 0xff) << 8;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
            crc &= 0xffff;
        }
        return crc;
    }
}
