package io.cachebus.client.internal.tiered;

import io.cachebus.client.CacheKey;
import io.cachebus.events.CacheKeys;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Builds the storage keys of an entry per the Redis contract, through {@link CacheKeys#key}:
 * <code>tenant:&lt;tid&gt;:&lt;domain&gt;[:&lt;tag&gt;]:{&lt;tid&gt;}&lt;hash&gt;</code> with {@code hash} = the
 * first 32 characters of base64url(SHA-256(canonical key + "|" + generations)), where {@code generations} lists
 * the generation of every scope of {@link Scope#of(CacheKey)} in that order, comma-separated. A new generation of
 * any scope yields a new key, so bumping a counter makes every old entry of the scope unreachable.
 *
 * <p>Every scope of a key belongs to the key's tenant, and the entry and all their counters carry the tenant's
 * hash tag, so on Redis Cluster the compare-and-set over them is a single-slot script (ADR 0008).
 */
public final class EntryKeys {

    static final int HASH_LENGTH = 32;

    private EntryKeys() {
    }

    /** The key of {@code key}'s entry when its scopes are at {@code generations}. */
    public static String storageKey(CacheKey key, long[] generations) {
        String hash = hash(key, generations);
        return key.derived() == null
                ? CacheKeys.key(key.tenant(), key.domain(), hash)
                : CacheKeys.key(key.tenant(), key.derived(), hash);
    }

    public static String hash(CacheKey key, long[] generations) {
        StringBuilder input = new StringBuilder(key.canonical()).append('|');
        for (int i = 0; i < generations.length; i++) {
            if (i > 0) {
                input.append(',');
            }
            input.append(generations[i]);
        }
        byte[] digest = sha256().digest(input.toString().getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, HASH_LENGTH);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
