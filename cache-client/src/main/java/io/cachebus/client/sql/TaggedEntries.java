package io.cachebus.client.sql;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * Entries of one tenant under explicit tags (the table-tag requirement's {@code $cache->tags([...])}). An entry is identified by its
 * key and its tags together, and lives until one of its tags is flushed (or a table behind a {@code table:} tag is
 * written), or until its TTL.
 *
 * <p>An entry is never replaced in place: every node may hold it in its local L1, and only a flush reaches them
 * all. So {@link #put} stores a value only where the key has none yet; to change a value, flush a tag it carries
 * and put it again.
 */
public interface TaggedEntries {

    /** The cached value, or the loader's, which is then cached (read-through). */
    <T> T remember(String key, Class<T> type, Supplier<T> loader);

    /** Stores {@code value} under {@code key} unless the key has a value already (see the class comment). */
    void put(String key, Object value);

    /** The value under {@code key}, if any. */
    <T> Optional<T> get(String key, Class<T> type);
}
