package io.cachebus.client.internal.sql.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.events.Operation;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the analyzer finds in a statement: every table read (and only tables), or what a write writes. */
class TableExtractionTest {

    private static final SqlAnalyzer analyzer = new SqlAnalyzer(Duration.ofSeconds(10), Set.of("my_clock"), 1_000_000);

    @AfterAll
    static void close() {
        analyzer.close();
    }

    @Nested
    class Reads {

        @Test
        void aSingleTableFrom() {
            assertReads("SELECT * FROM residents WHERE id = 1", "residents");
        }

        @Test
        void everyTableOfEveryKindOfJoin() {
            assertReads("SELECT * FROM users JOIN orders ON users.id = orders.user_id", "users", "orders");
            assertReads("""
                    SELECT * FROM a LEFT JOIN b ON a.id = b.a_id RIGHT OUTER JOIN c ON c.id = b.c_id
                    FULL JOIN d ON d.id = c.d_id CROSS JOIN e, f NATURAL JOIN g""", "a", "b", "c", "d", "e", "f", "g");
        }

        @Test
        void aliasesAndColumnQualifiersAreNotTables() {
            assertReads("SELECT o.id, c.*, COUNT(i.id) FROM orders o JOIN customers AS c ON c.id = o.customer_id "
                    + "LEFT JOIN items i ON i.order_id = o.id GROUP BY o.id, c.id", "orders", "customers", "items");
        }

        @Test
        void aSubqueryInFromEvenWhenItsAliasIsATableName() {
            assertReads("SELECT * FROM (SELECT id FROM customers WHERE active) customers", "customers");
            assertReads("SELECT x.n FROM (SELECT COUNT(*) n FROM (SELECT * FROM deep) d) x", "deep");
        }

        @Test
        void subqueriesInWhereExistsInAnyAndScalarPositions() {
            assertReads("""
                    SELECT a.*, (SELECT MAX(v) FROM scalars s WHERE s.a = a.id) AS top FROM a
                    WHERE EXISTS (SELECT 1 FROM b WHERE b.id = a.id)
                      AND a.id IN (SELECT a_id FROM c)
                      AND a.x = ANY (SELECT y FROM d)
                      AND NOT EXISTS (SELECT 1 FROM e WHERE e.id IN (SELECT id FROM f))""",
                    "a", "scalars", "b", "c", "d", "e", "f");
        }

        @Test
        void subqueriesInClausesAVisitorEasilyMisses() {
            assertReads("SELECT * FROM a ORDER BY (SELECT MAX(x) FROM in_order_by)", "a", "in_order_by");
            assertReads("SELECT COUNT(*) FILTER (WHERE x IN (SELECT y FROM in_filter)) FROM a "
                    + "GROUP BY (SELECT 1 FROM in_group_by) HAVING COUNT(*) > (SELECT 2 FROM in_having)",
                    "a", "in_filter", "in_group_by", "in_having");
            assertReads("SELECT * FROM a QUALIFY ROW_NUMBER() OVER (ORDER BY (SELECT 1 FROM in_qualify)) = 1",
                    "a", "in_qualify");
            assertReads("SELECT CASE WHEN EXISTS (SELECT 1 FROM in_case) THEN 1 ELSE 0 END FROM a", "a", "in_case");
        }

        @Test
        void lateralSubqueries() {
            assertReads("SELECT * FROM a, LATERAL (SELECT * FROM b WHERE b.x = a.x) l", "a", "b");
        }

        @Test
        void everyBranchOfASetOperation() {
            assertReads("SELECT id FROM a UNION SELECT id FROM b UNION ALL SELECT id FROM c", "a", "b", "c");
            assertReads("(SELECT id FROM a INTERSECT SELECT id FROM b) EXCEPT SELECT id FROM c", "a", "b", "c");
        }

        @Test
        void cteBodiesAreReadButCteNamesAreNotTables() {
            assertReads("WITH recent AS (SELECT * FROM orders WHERE created > ?) "
                    + "SELECT * FROM recent JOIN customers ON customers.id = recent.customer_id", "orders", "customers");
            assertReads("WITH x AS (SELECT id FROM t) SELECT * FROM u WHERE id IN (SELECT id FROM x)", "t", "u");
        }

        @Test
        void aCteNamedLikeTheTableItReadsShadowsItOnlyAfterItsDefinition() {
            assertReads("WITH orders AS (SELECT * FROM orders WHERE status = 'OPEN') SELECT * FROM orders", "orders");
            assertReads("WITH orders AS (SELECT * FROM archive) SELECT * FROM orders", "archive");
        }

        @Test
        void aCteSeesOnlyTheCtesBeforeItUnlessRecursive() {
            assertReads("WITH a AS (SELECT * FROM t1), b AS (SELECT * FROM a JOIN t2 ON t2.id = a.id) SELECT * FROM b",
                    "t1", "t2");
            // b is not yet defined where a reads it: that b is a table
            assertReads("WITH a AS (SELECT * FROM b), b AS (SELECT * FROM t) SELECT * FROM a", "b", "t");
            assertReads("""
                    WITH RECURSIVE tree AS (
                      SELECT id, parent FROM nodes WHERE parent IS NULL
                      UNION ALL
                      SELECT n.id, n.parent FROM nodes n JOIN tree ON n.parent = tree.id)
                    SELECT * FROM tree""", "nodes");
        }

        @Test
        void aQualifiedNameIsATableEvenWhereACteOfThatNameIsVisible() {
            assertReads("WITH orders AS (SELECT * FROM archive) SELECT * FROM orders JOIN public.orders p ON true",
                    "archive", "orders");
        }

        @Test
        void aCteNameQuotedDifferentlyFromTheReferenceCountsAsATableToo() {
            // "Orders" is a different relation from orders in PostgreSQL and the same one in H2: assume the table
            assertReads("WITH \"Orders\" AS (SELECT * FROM archive) SELECT * FROM orders", "archive", "orders");
        }

        @Test
        void quotedAndQualifiedNamesAreReducedToTheTableName() {
            StatementAnalysis.Read read = read("SELECT * FROM \"Sales\".\"Orders\" o JOIN db.sales.items i "
                    + "ON o.id = i.order_id JOIN `Customers` c ON c.id = o.customer_id JOIN public.payments p ON true");
            assertThat(read.tables()).containsExactlyInAnyOrder(new TableName("Orders", true),
                    new TableName("items", false), new TableName("Customers", true), new TableName("payments", false));
            assertThat(folded(read)).containsExactlyInAnyOrder("orders", "items", "customers", "payments");
        }

        @Test
        void namedAndPositionalParametersParse() {
            assertReads("SELECT w.id, COUNT(s.step_position) FROM workflows w LEFT JOIN workflow_steps s "
                    + "ON s.workflow_id = w.id WHERE w.tenant_id = :tenant AND w.status = ? GROUP BY w.id",
                    "workflows", "workflow_steps");
        }
    }

    @Nested
    class UncacheableReads {

        @ParameterizedTest
        @ValueSource(strings = {
                "SELECT * FROM a WHERE id = 1 FOR UPDATE",
                "SELECT * FROM a FOR SHARE",
                "SELECT now(), id FROM a",
                "SELECT id FROM a WHERE created < CURRENT_TIMESTAMP",
                "SELECT * FROM a ORDER BY random() LIMIT 1",
                "SELECT nextval('a_seq') FROM a",
                "SELECT id, my_clock() FROM a",
                "SELECT id, pg_catalog.now() FROM a",
                "SELECT * FROM generate_series(1, 10)",
                "SELECT * INTO copy_of_a FROM a",
                "SELECT 1",
                "SELECT 1 FROM dual",
                "SELECT * FROM a; SELECT * FROM b"})
        void areReadsThatAreNotCached(String sql) {
            StatementAnalysis analysis = analyzer.analyze(sql);
            assertThat(analysis).isInstanceOf(StatementAnalysis.Read.class);
            assertThat(((StatementAnalysis.Read) analysis).uncacheableBecause()).as(sql).isPresent();
        }
    }

    @Nested
    class Writes {

        @Test
        void insertWritesItsTargetOnlyAndIsACreate() {
            assertWrites("INSERT INTO orders (id, status) VALUES (?, ?)", Operation.CREATE, "orders");
            assertWrites("INSERT INTO archive SELECT * FROM orders WHERE id IN (SELECT id FROM old)", Operation.CREATE,
                    "archive");
        }

        @Test
        void upsertsAreUpdates() {
            assertWrites("INSERT INTO counters (k, v) VALUES (?, 1) ON CONFLICT (k) DO UPDATE SET v = counters.v + 1",
                    Operation.UPDATE, "counters");
            assertWrites("INSERT INTO counters (k, v) VALUES (?, 1) ON CONFLICT DO NOTHING", Operation.UPDATE,
                    "counters");
            assertWrites("INSERT INTO counters (k, v) VALUES (1, 1) ON DUPLICATE KEY UPDATE v = v + 1",
                    Operation.UPDATE, "counters");
            assertWrites("MERGE INTO stock t USING deliveries d ON (t.id = d.id) WHEN MATCHED THEN UPDATE SET "
                    + "t.n = t.n + d.n WHEN NOT MATCHED THEN INSERT (id, n) VALUES (d.id, d.n)", Operation.UPDATE,
                    "stock");
            assertWrites("REPLACE INTO settings (k, v) VALUES ('a', 'b')", Operation.UPDATE, "settings");
            assertWrites("UPSERT INTO settings (k, v) VALUES ('a', 'b')", Operation.UPDATE, "settings");
        }

        @Test
        void updateAndDeleteWriteTheirTargetNotTheTablesTheyRead() {
            assertWrites("UPDATE residents SET name = 'Budi' WHERE id = 1", Operation.UPDATE, "residents");
            assertWrites("UPDATE a SET x = b.y FROM b WHERE a.id = b.id", Operation.UPDATE, "a");
            assertWrites("DELETE FROM a USING b WHERE a.id = b.id", Operation.DELETE, "a");
            assertWrites("DELETE FROM a WHERE id IN (SELECT a_id FROM b)", Operation.DELETE, "a");
            assertWrites("UPDATE public.\"Orders\" SET status = 'X'", Operation.UPDATE, "orders");
        }

        @Test
        void truncateWritesEveryTableItNames() {
            assertWrites("TRUNCATE TABLE a, b", Operation.DELETE, "a", "b");
        }

        @Test
        void aQueryWithADataModifyingCteIsAWrite() {
            assertWrites("WITH gone AS (DELETE FROM sessions WHERE expires < ? RETURNING *) SELECT COUNT(*) FROM gone",
                    Operation.DELETE, "sessions");
            assertWrites("INSERT INTO orders (id) VALUES (?) RETURNING id", Operation.CREATE, "orders");
        }

        @Test
        void severalStatementsWriteEverythingAnyOfThemWrites() {
            assertWrites("SELECT * FROM a; DELETE FROM b", Operation.DELETE, "b");
        }

        @Test
        void droppingOrAlteringATableWritesIt() {
            assertWrites("DROP TABLE orders", Operation.DELETE, "orders");
            assertWrites("ALTER TABLE orders ADD COLUMN note VARCHAR(10)", Operation.UPDATE, "orders");
        }
    }

    @Nested
    class Others {

        @Test
        void statementsThatNeitherReadNorWriteRows() {
            assertThat(analyzer.analyze("CREATE TABLE t (id INT)")).isInstanceOf(StatementAnalysis.Other.class);
            assertThat(analyzer.analyze("CREATE INDEX t_id ON t (id)")).isInstanceOf(StatementAnalysis.Other.class);
        }

        @ParameterizedTest
        @ValueSource(strings = {"SELEC * FORM orders", "this is not sql", "SELECT * FROM WHERE", "MERGE INTO t KEY (id) VALUES (1, 2)"})
        void unparseableTextIsUnreadableNotAnError(String sql) {
            assertThat(analyzer.analyze(sql)).isInstanceOf(StatementAnalysis.Unreadable.class);
        }
    }

    private static StatementAnalysis.Read read(String sql) {
        StatementAnalysis analysis = analyzer.analyze(sql);
        assertThat(analysis).as(sql).isInstanceOf(StatementAnalysis.Read.class);
        return (StatementAnalysis.Read) analysis;
    }

    private static void assertReads(String sql, String... tables) {
        StatementAnalysis.Read read = read(sql);
        assertThat(read.uncacheableBecause()).as(sql).isEmpty();
        assertThat(folded(read)).as(sql).containsExactlyInAnyOrder(tables);
    }

    private static void assertWrites(String sql, Operation operation, String... tables) {
        StatementAnalysis analysis = analyzer.analyze(sql);
        assertThat(analysis).as(sql).isInstanceOf(StatementAnalysis.Write.class);
        StatementAnalysis.Write write = (StatementAnalysis.Write) analysis;
        assertThat(write.tables().stream().map(TableName::folded)).as(sql).containsExactlyInAnyOrder(tables);
        assertThat(write.operation()).as(sql).isEqualTo(operation);
    }

    private static Set<String> folded(StatementAnalysis.Read read) {
        return read.tables().stream().map(TableName::folded).collect(Collectors.toSet());
    }
}
