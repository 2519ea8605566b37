package io.cachebus.client.internal.sql.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cachebus.events.InvalidNameException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TableScopesTest {

    private final TableScopes defaults = TableScopes.defaults();

    @Test
    void aTableIsTheScopeOfItsLowerCasedUnquotedUnqualifiedName() {
        assertThat(defaults.ofTable(new TableName("Orders", false))).containsExactly("orders");
        assertThat(defaults.ofTable(TableName.ofIdentifier("\"Orders\""))).containsExactly("orders");
        assertThat(defaults.ofTableNamed("public.orders")).containsExactly("orders");
        assertThat(defaults.ofTableNamed("db.\"Sales\".\"Orders\"")).containsExactly("orders");
        assertThat(defaults.ofTable(TableName.parse("\"odd.name\""))).as("a dot inside quotes belongs to the name")
                .isEmpty();
    }

    @Test
    void aTableWhoseNameIsNoValidScopeHasNoneUnlessConfigured() {
        TableName spaced = TableName.ofIdentifier("\"order items\"");
        assertThat(defaults.ofTable(spaced)).isEmpty();
        assertThatThrownBy(() -> defaults.ofTableNamed("\"order items\"")).isInstanceOf(InvalidNameException.class)
                .hasMessageContaining("table-scopes");

        TableScopes configured = new TableScopes(Map.of("\"order items\"", List.of("order-items")), List.of());
        assertThat(configured.ofTable(spaced)).containsExactly("order-items");
    }

    @Test
    void configuredTablesMapToTheirScopesForReadsWritesAndTags() {
        TableScopes scopes = new TableScopes(Map.of(
                "workflow_steps", List.of("workflows"),
                "sales.open_orders", List.of("orders", "customers")), List.of("legacy"));
        assertThat(scopes.ofTable(new TableName("WORKFLOW_STEPS", false))).containsExactly("workflows");
        assertThat(scopes.ofTableNamed("reporting.open_orders")).containsExactly("orders", "customers");
        assertThat(scopes.ofTag("table:workflow_steps")).containsExactly("workflows");
        assertThat(scopes.ofTable(new TableName("workflows", false))).containsExactly("workflows");
        assertThat(scopes.isUncached(new TableName("Legacy", true))).isTrue();
        assertThat(scopes.isUncached(new TableName("orders", false))).isFalse();
    }

    @Test
    void tagsAreTableTagsOrScopeNames() {
        assertThat(defaults.ofTag("table:orders")).containsExactly("orders");
        assertThat(defaults.ofTag("table:public.Orders")).containsExactly("orders");
        assertThat(defaults.ofTag("reports")).containsExactly("reports");
        assertThat(defaults.ofTags(List.of("table:orders", "orders", "reports"))).containsExactly("orders", "reports");
    }

    @Test
    void aTagThatCouldReachIntoAnotherKeyIsRefused() {
        for (String bad : List.of("", "a:b", "tenant:*", "with space", "table:", "table:\"unclosed", "ü")) {
            assertThatThrownBy(() -> defaults.ofTag(bad)).as(bad).isInstanceOf(InvalidNameException.class);
        }
    }

    @Test
    void aConfiguredScopeMustBeAValidName() {
        assertThatThrownBy(() -> new TableScopes(Map.of("t", List.of("a*")), List.of()))
                .isInstanceOf(InvalidNameException.class).hasMessageContaining("cachebus.sql.table-scopes[t]");
        assertThatThrownBy(() -> new TableScopes(Map.of("t", List.of()), List.of()))
                .isInstanceOf(InvalidNameException.class);
    }
}
