package io.cachebus.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cachebus.events.InvalidNameException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CacheKeyTest {

    @Test
    void parameterOrderDoesNotMatter() {
        CacheKey one = CacheKey.of("t1", "workflows").resource("/api/workflows")
                .param("status", "active").param("page", 2).param("tag", "b").param("tag", "a").build();
        CacheKey other = CacheKey.of("t1", "workflows").resource("/api/workflows")
                .params(Map.of("tag", List.of("a", "b"), "page", List.of("2"), "status", List.of("active"))).build();

        assertThat(one).isEqualTo(other);
        assertThat(one.canonical()).isEqualTo(other.canonical());
        assertThat(one.hashCode()).isEqualTo(other.hashCode());
    }

    @Test
    void everyPartThatChangesTheResponseChangesTheKey() {
        CacheKey base = CacheKey.of("t1", "workflows").resource("/api/workflows").param("page", 1).build();

        assertThat(CacheKey.of("t10", "workflows").resource("/api/workflows").param("page", 1).build())
                .isNotEqualTo(base);
        assertThat(CacheKey.of("t1", "notifications").resource("/api/workflows").param("page", 1).build())
                .isNotEqualTo(base);
        assertThat(CacheKey.of("t1", "workflows").resource("/api/workflows/1").param("page", 1).build())
                .isNotEqualTo(base);
        assertThat(CacheKey.of("t1", "workflows").resource("/api/workflows").param("page", 2).build())
                .isNotEqualTo(base);
        assertThat(CacheKey.of("t1", "workflows").resource("/api/workflows").param("page", 1).derived("steps").build())
                .isNotEqualTo(base);
        assertThat(CacheKey.of("t1", "workflows").resource("/api/workflows").param("page", 1)
                .dependsOn("notifications").build()).isNotEqualTo(base);
    }

    @Test
    void namesThatCouldBreakOutOfAPrefixAreRefused() {
        assertThatThrownBy(() -> CacheKey.of("t1*", "workflows").build()).isInstanceOf(InvalidNameException.class);
        assertThatThrownBy(() -> CacheKey.of("t1", "work:flows").build()).isInstanceOf(InvalidNameException.class);
        assertThatThrownBy(() -> CacheKey.of("t1", "workflows").dependsOn("a b")).isInstanceOf(InvalidNameException.class);
    }
}
