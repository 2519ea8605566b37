package io.cachebus.client.internal.tiered;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.events.CacheKeys;
import io.cachebus.events.Tag;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FallbackStoreTest {

    private final FallbackStore store = new FallbackStore(1000, Duration.ofMinutes(1));

    @Test
    void invalidateByPrefixRemovesExactlyTheKeysUnderThePrefix() {
        store.put(CacheKeys.key("t1", "workflows", "a"), "1");
        store.put(CacheKeys.key("t1", new Tag("workflows", "steps"), "b"), "2");
        store.put(CacheKeys.key("t10", "workflows", "a"), "3");
        store.put(CacheKeys.key("t1", "workflows2", "a"), "4");
        store.put(CacheKeys.key("t1", "notifications", "a"), "5");

        int removed = store.invalidateByPrefix(CacheKeys.prefix("t1", "workflows"));

        assertThat(removed).isEqualTo(2);
        assertThat(store.get(CacheKeys.key("t1", "workflows", "a"))).isNull();
        assertThat(store.get(CacheKeys.key("t1", new Tag("workflows", "steps"), "b"))).isNull();
        assertThat(store.get(CacheKeys.key("t10", "workflows", "a"))).isEqualTo("3");
        assertThat(store.get(CacheKeys.key("t1", "workflows2", "a"))).isEqualTo("4");
        assertThat(store.get(CacheKeys.key("t1", "notifications", "a"))).isEqualTo("5");
    }

    @Test
    void aTagPrefixLeavesTheRestOfTheDomain() {
        Tag unread = new Tag("notifications", "unread-count");
        store.put(CacheKeys.key("t1", unread, "x"), "7");
        store.put(CacheKeys.key("t1", "notifications", "list"), "[]");

        assertThat(store.invalidateByPrefix(CacheKeys.prefix("t1", unread))).isEqualTo(1);
        assertThat(store.get(CacheKeys.key("t1", "notifications", "list"))).isEqualTo("[]");
        assertThat(store.invalidateByPrefix(CacheKeys.prefix("t1", unread))).isZero();
    }

    @Test
    void isBoundedInSize() {
        FallbackStore small = new FallbackStore(10, Duration.ofMinutes(1));
        for (int i = 0; i < 100; i++) {
            small.put(CacheKeys.key("t1", "workflows", "k" + i), "v");
        }
        assertThat(small.size()).isLessThanOrEqualTo(10);
        assertThat(small.invalidateByPrefix(CacheKeys.prefix("t1", "workflows"))).isLessThanOrEqualTo(10);
    }
}
