package io.cachebus.client.internal.sql.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.client.CacheKey;
import java.sql.Types;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.SqlParameterValue;

/** Two reads share an entry only if nothing that could change their result differs. */
class QueryKeysTest {

    private static final String SQL = "SELECT * FROM orders o JOIN users u ON u.id = o.user_id WHERE o.id = ?";

    @Test
    void theScopesAreSortedSoTheFirstTableIsTheDomainAndTheOthersItsDependencies() {
        CacheKey key = key(List.of("users", "orders", "items"), List.of(1), Map.of(), "rows");
        assertThat(key.domain()).isEqualTo("items");
        assertThat(key.dependsOn()).containsExactly("orders", "users");
        assertThat(key(List.of("orders", "users", "items"), List.of(1), Map.of(), "rows")).isEqualTo(key);
    }

    @Test
    void everyPartOfTheReadIsInTheKey() {
        CacheKey key = key(List.of("orders"), List.of(1), Map.of(), "rows");
        assertThat(key).isNotEqualTo(key(List.of("orders"), List.of(2), Map.of(), "rows"))
                .isNotEqualTo(key(List.of("orders"), List.of("1"), Map.of(), "rows"))
                .isNotEqualTo(key(List.of("orders"), List.of(1), Map.of(), "other rows"))
                .isNotEqualTo(key(List.of("orders", "users"), List.of(1), Map.of(), "rows"))
                .isNotEqualTo(QueryKeys.query("t2", List.of("orders"), SQL, List.of(1), Map.of(), "rows").orElseThrow())
                .isNotEqualTo(QueryKeys.query("t1", List.of("orders"), SQL + " ", List.of(1), Map.of(), "rows")
                        .orElseThrow());
    }

    @Test
    void argumentListsThatPrintAlikeStillDiffer() {
        assertThat(text(List.of("a;b"), Map.of())).isNotEqualTo(text(List.of("a", "b"), Map.of()));
        assertThat(text(Arrays.asList(null, "x"), Map.of())).isNotEqualTo(text(Arrays.asList("null", "x"), Map.of()));
        assertThat(text(List.of(List.of(1, 2)), Map.of())).isNotEqualTo(text(List.of(List.of(12)), Map.of()));
        assertThat(text(List.of(), Map.of("a", "1=:b", "b", 2))).isNotEqualTo(text(List.of(), Map.of("a", "1", "b", 2)));
        assertThat(text(List.of(new SqlParameterValue(Types.VARCHAR, "1")), Map.of()))
                .isNotEqualTo(text(List.of(new SqlParameterValue(Types.INTEGER, "1")), Map.of()));
        assertThat(text(List.of(LocalDate.of(2026, 1, 2)), Map.of())).isEqualTo(text(List.of(LocalDate.of(2026, 1, 2)),
                Map.of()));
    }

    @Test
    void datesDifferingInMillisecondsAreDifferentArguments() {
        assertThat(text(List.of(new Date(1_000)), Map.of())).isNotEqualTo(text(List.of(new Date(1_001)), Map.of()));
    }

    @Test
    void anArgumentWithoutAValueBasedTextMakesTheReadUncacheable() {
        Object opaque = new Object();
        assertThat(QueryKeys.argumentsText(List.of(1, opaque), Map.of())).isEmpty();
        assertThat(QueryKeys.argumentsText(List.of(), Map.of("x", List.of(opaque)))).isEmpty();
    }

    private static CacheKey key(List<String> scopes, List<Object> positional, Map<String, Object> named, String rows) {
        return QueryKeys.query("t1", scopes, SQL, positional, named, rows).orElseThrow();
    }

    private static Optional<String> text(List<Object> positional, Map<String, Object> named) {
        return QueryKeys.argumentsText(positional, named);
    }
}
