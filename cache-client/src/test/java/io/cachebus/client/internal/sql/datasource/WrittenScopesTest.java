package io.cachebus.client.internal.sql.datasource;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.client.internal.sql.analysis.SqlAnalyzer;
import io.cachebus.client.internal.sql.analysis.TableScopes;
import io.cachebus.events.Operation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the wrapper takes a statement to write, without a database. */
class WrittenScopesTest {

    private final SqlAnalyzer analyzer = new SqlAnalyzer(Duration.ofSeconds(2), Set.of(), 1_000_000);
    private final WrittenScopes scopes = new WrittenScopes(analyzer,
            new TableScopes(Map.of("workflow_steps", List.of("workflows")), List.of()), List.of("audit_log"));

    @AfterEach
    void close() {
        analyzer.close();
    }

    @Test
    void everyTruncatedTableAndMappedScope() {
        assertThat(scopes.of(List.of("TRUNCATE TABLE order_lines, workflow_steps")))
                .contains(new WrittenScopes.Written(Set.of("order_lines", "workflows"), Operation.DELETE, false));
    }

    @Test
    void readsProcedureCallsAndWritesToIgnoredOrOutboxTablesWriteNothing() {
        assertThat(scopes.of(List.of("SELECT * FROM orders"))).isEmpty();
        assertThat(scopes.of(List.of("CALL archive_orders()"))).as("a procedure names no table it writes").isEmpty();
        assertThat(scopes.of(List.of("INSERT INTO audit_log VALUES (1)", "DELETE FROM cachebus_outbox")))
                .isEmpty();
    }

    @Test
    void aBatchOfDifferentWritesIsOneUpdateOfEveryTable() {
        assertThat(scopes.of(List.of("INSERT INTO orders VALUES (1)", "DELETE FROM customers")))
                .contains(new WrittenScopes.Written(Set.of("orders", "customers"), Operation.UPDATE, false));
    }

    @Test
    void anUnreadableTextIsMarkedSo() {
        Optional<WrittenScopes.Written> written = scopes.of(List.of("UPDATE ONLY customers SET name = 'x'"));
        assertThat(written).get().extracting(WrittenScopes.Written::unparsed).isEqualTo(true);
    }
}
