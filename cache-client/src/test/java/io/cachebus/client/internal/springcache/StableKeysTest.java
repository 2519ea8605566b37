package io.cachebus.client.internal.springcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.cache.interceptor.SimpleKey;

class StableKeysTest {

    record Sku(String vendor, int number) {
    }

    record Wrapped(Object part) {
    }

    @Test
    void equalKeysGiveOneTextEvenAcrossInstances() {
        UUID id = UUID.randomUUID();
        assertThat(StableKeys.of(new SimpleKey("a", 1L, id, LocalDate.of(2026, 1, 2), new Sku("v", 7))))
                .isEqualTo(StableKeys.of(new SimpleKey("a", 1L, UUID.fromString(id.toString()),
                        LocalDate.of(2026, 1, 2), new Sku("v", 7))));
    }

    @Test
    void keysThatSpringTellsApartStayApart() {
        assertThat(StableKeys.of(new SimpleKey("a,b"))).isNotEqualTo(StableKeys.of(new SimpleKey("a", "b")));
        assertThat(StableKeys.of(1L)).isNotEqualTo(StableKeys.of("1")).isNotEqualTo(StableKeys.of(1));
        assertThat(StableKeys.of(new SimpleKey("a", "b"))).isNotEqualTo(StableKeys.of(new SimpleKey("ab")));
        assertThat(StableKeys.of(SimpleKey.EMPTY)).isNotEqualTo(StableKeys.of(new SimpleKey((Object) null)));
    }

    @Test
    void aPartWithoutAStableTextIsRefusedEvenInsideARecord() {
        assertThatThrownBy(() -> StableKeys.of(new Object())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.Object");
        assertThatThrownBy(() -> StableKeys.of(new Wrapped(new Object()))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StableKeys.of(new SimpleKey((Object) new int[] {1})))
                .hasMessageContaining("an array");
    }
}
