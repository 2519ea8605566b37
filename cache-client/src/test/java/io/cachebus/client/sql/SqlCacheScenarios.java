package io.cachebus.client.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.cachebus.client.CacheKey;
import io.cachebus.client.Tier;
import io.cachebus.client.event.CacheEvent;
import io.cachebus.client.internal.eviction.EvictionBroadcastHandler;
import io.cachebus.client.internal.sql.analysis.SqlAnalyzer;
import io.cachebus.client.testsupport.Node;
import io.cachebus.client.testsupport.Read;
import io.cachebus.client.internal.tiered.ReadYourWrites;
import io.cachebus.events.InvalidNameException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The table-tag requirement's four test cases (docs/glossary.md), and what must hold around them, on two nodes, a real redis-server, the shared
 * Kafka broker and the real invalidator: node A (the writer) writes through its {@link SqlCache}, node B (the
 * reader) reads through its own; everything B sees of A's writes came through the outbox, the invalidator's INCR of
 * the table's generation counter and the eviction broadcast.
 */
abstract class SqlCacheScenarios {

    static final Duration PROPAGATION = Duration.ofSeconds(30);

    record Resident(int id, String name) {
    }

    record Purchase(String buyer, int amount) {
    }

    record Summary(String label, long total) {
    }

    abstract SqlCluster cluster();

    Node writer() {
        return cluster().writer;
    }

    Node reader() {
        return cluster().reader;
    }

    // ---- the table-tag requirement's test 1: a query's entry is tagged by its table; a write to that table invalidates it, a write
    // ---- to another table does not

    @Test
    void aQueryIsTaggedByItsTableAndOnlyAWriteToThatTableInvalidatesIt() {
        String tenant = newTenant();
        setUp(tenant, sql -> insertResident(sql, tenant, 1, "Ani"));

        assertThat(read(reader(), () -> residentName(reader(), tenant, 1))).isEqualTo(new Read<>("Ani", Tier.LOADER));
        assertThat(read(reader(), () -> residentName(reader(), tenant, 1))).isEqualTo(new Read<>("Ani", Tier.L1));
        CacheKey key = lastLookup(reader()).key();
        assertThat(key.tenant()).isEqualTo(tenant);
        assertThat(key.domain()).as("tagged table:residents").isEqualTo("residents");
        assertThat(key.dependsOn()).isEmpty();

        long residentsGeneration = cluster().generation(tenant, "residents");
        writeProductAndAwaitItsEviction(tenant, 1);
        assertThat(read(reader(), () -> residentName(reader(), tenant, 1))).isEqualTo(new Read<>("Ani", Tier.L1));
        assertThat(cluster().generation(tenant, "residents")).isEqualTo(residentsGeneration);

        commit(tenant, sql -> sql.sql("UPDATE residents SET name = ? WHERE tenant_id = ? AND id = ?")
                .params("Budi", tenant, 1).update());

        assertThat(read(writer(), () -> residentName(writer(), tenant, 1)).value())
                .as("the writing node reads its write at once").isEqualTo("Budi");
        await().atMost(PROPAGATION).until(() -> residentName(reader(), tenant, 1).equals("Budi"));
        assertThat(cluster().generation(tenant, "residents")).isEqualTo(residentsGeneration + 1);
        assertThat(read(reader(), () -> residentName(reader(), tenant, 1))).isEqualTo(new Read<>("Budi", Tier.L1));
    }

    // ---- the table-tag requirement's test 2: many queries of one table are flushed together

    @Test
    void everyQueryOfATableIsFlushedByOneWriteAndQueriesOfOtherTablesAreNot() {
        String tenant = newTenant();
        setUp(tenant, sql -> {
            insertUser(sql, tenant, 1, "Ani");
            for (int id = 1; id <= 3; id++) {
                insertOrder(sql, tenant, id, 1, 10 * id, "OPEN");
            }
        });
        List<Supplier<Object>> ordersQueries = List.of(
                () -> reader().sql().tenant(tenant).sql("SELECT amount FROM orders WHERE tenant_id = ? AND id = ?")
                        .params(tenant, 1).query(Integer.class).single(),
                () -> reader().sql().tenant(tenant)
                        .sql("SELECT id FROM orders WHERE tenant_id = :tenant AND status = :status ORDER BY id")
                        .param("tenant", tenant).param("status", "OPEN").query(Integer.class).list(),
                () -> orderCount(reader(), tenant));
        Supplier<Object> usersQuery = () -> reader().sql().tenant(tenant)
                .sql("SELECT name FROM users WHERE tenant_id = ? ORDER BY id").param(tenant).query(String.class).list();
        for (Supplier<Object> query : concat(ordersQueries, usersQuery)) {
            assertThat(read(reader(), query).tier()).isEqualTo(Tier.LOADER);
            assertThat(read(reader(), query).tier()).isEqualTo(Tier.L1);
        }

        commit(tenant, sql -> insertOrder(sql, tenant, 4, 1, 40, "OPEN"));

        await().atMost(PROPAGATION).until(() -> orderCount(reader(), tenant) == 4L);
        assertThat(read(reader(), ordersQueries.get(0))).isEqualTo(new Read<>(10, Tier.LOADER));
        assertThat(read(reader(), ordersQueries.get(1))).isEqualTo(new Read<>(List.of(1, 2, 3, 4), Tier.LOADER));
        assertThat(read(reader(), usersQuery)).isEqualTo(new Read<>(List.of("Ani"), Tier.L1));
    }

    // ---- the table-tag requirement's test 3: a JOIN's entry carries every table's tag and goes when ANY of them changes

    @Test
    void aJoinIsInvalidatedByAWriteToAnyOfItsTablesAndByNothingElse() {
        String tenant = newTenant();
        setUp(tenant, sql -> {
            insertUser(sql, tenant, 1, "Ani");
            insertUser(sql, tenant, 2, "Budi");
            insertOrder(sql, tenant, 10, 1, 5, "OPEN");
            insertOrder(sql, tenant, 11, 2, 7, "OPEN");
        });
        assertThat(read(reader(), () -> purchases(reader(), tenant))).isEqualTo(new Read<>(
                List.of(new Purchase("Ani", 5), new Purchase("Budi", 7)), Tier.LOADER));
        assertThat(read(reader(), () -> purchases(reader(), tenant)).tier()).isEqualTo(Tier.L1);
        CacheKey key = lastLookup(reader()).key();
        assertThat(key.domain()).isEqualTo("orders");
        assertThat(key.dependsOn()).containsExactly("users");

        writeProductAndAwaitItsEviction(tenant, 1);
        assertThat(read(reader(), () -> purchases(reader(), tenant)).tier()).as("an unrelated table").isEqualTo(Tier.L1);

        commit(tenant, sql -> sql.sql("UPDATE users SET name = ? WHERE tenant_id = ? AND id = ?")
                .params("Citra", tenant, 1).update());
        await().atMost(PROPAGATION).until(() -> purchases(reader(), tenant).get(0).buyer().equals("Citra"));
        assertThat(read(reader(), () -> purchases(reader(), tenant)).tier()).isEqualTo(Tier.L1);

        commit(tenant, sql -> insertOrder(sql, tenant, 12, 2, 9, "OPEN"));
        await().atMost(PROPAGATION).until(() -> purchases(reader(), tenant).size() == 3);
        assertThat(purchases(reader(), tenant)).containsExactly(new Purchase("Citra", 5), new Purchase("Budi", 7),
                new Purchase("Budi", 9));
    }

    // ---- the table-tag requirement's test 4: the fluent interface, tags(...).put(...), flushTag, flushTable

    @Test
    void theFluentInterfaceTagsPutsAndFlushesByTagAndByTable() {
        String tenant = newTenant();
        TenantSql onWriter = writer().sql().tenant(tenant);
        TenantSql onReader = reader().sql().tenant(tenant);
        Summary summary = new Summary("open orders", 3);

        onWriter.tags("table:orders", "reports").put("summary", summary);
        onWriter.tags("table:orders", "reports").put("summary", new Summary("ignored", 0));
        assertThat(read(writer(), () -> onWriter.tags("table:orders", "reports").get("summary", Summary.class)))
                .as("put stores only where the key has no value").isEqualTo(new Read<>(Optional.of(summary), Tier.L1));
        assertThat(read(reader(), () -> onReader.tags("reports", "table:orders").get("summary", Summary.class)))
                .as("tags in any order, from Redis on the other node")
                .isEqualTo(new Read<>(Optional.of(summary), Tier.L2_REDIS));
        assertThat(onReader.tags("reports").get("summary", Summary.class)).as("other tags, another entry").isEmpty();
        assertThat(onReader.tags("reports").remember("total", Long.class, () -> 42L)).isEqualTo(42L);
        assertThat(onReader.tags("reports").remember("total", Long.class, () -> 43L)).isEqualTo(42L);

        onWriter.flushTag("reports");

        assertThat(onWriter.tags("table:orders", "reports").get("summary", Summary.class))
                .as("flushed on the flushing node on return").isEmpty();
        await().atMost(PROPAGATION).until(() -> onReader.tags("reports").get("total", Long.class).isEmpty());
        assertThat(onReader.tags("reports", "table:orders").get("summary", Summary.class)).isEmpty();

        onWriter.tags("table:orders", "reports").put("summary", summary);
        onReader.tags("reports").put("total", 42L);
        onWriter.flushTable("orders");
        await().atMost(PROPAGATION)
                .until(() -> onReader.tags("reports", "table:orders").get("summary", Summary.class).isEmpty());
        assertThat(onReader.tags("reports").get("total", Long.class)).as("not tagged with the table").contains(42L);
    }

    @Test
    void aReadTaggedExplicitlyAlsoGoesWhenTheTagIsFlushed() {
        String tenant = newTenant();
        setUp(tenant, sql -> insertProduct(sql, tenant, 1, "tea"));
        Supplier<Long> products = () -> reader().sql().tenant(tenant)
                .sql("SELECT COUNT(*) FROM products WHERE tenant_id = ?").param(tenant).tags("reports")
                .query(Long.class).single();
        assertThat(read(reader(), products)).isEqualTo(new Read<>(1L, Tier.LOADER));
        assertThat(read(reader(), products)).isEqualTo(new Read<>(1L, Tier.L1));
        assertThat(lastLookup(reader()).key().dependsOn()).containsExactly("reports");

        writer().sql().tenant(tenant).flushTag("reports");

        await().atMost(PROPAGATION).until(() -> read(reader(), products).tier() == Tier.LOADER);
    }

    // ---- beyond the table-tag requirement

    @Test
    void aWriteToAnUnrelatedTableEvictsNothingOnAnyNodeOrTier() {
        String tenant = newTenant();
        setUp(tenant, sql -> {
            insertResident(sql, tenant, 1, "Ani");
            insertUser(sql, tenant, 1, "Ani");
            insertOrder(sql, tenant, 1, 1, 5, "OPEN");
        });
        List<Runnable> reads = List.of(
                () -> residentName(reader(), tenant, 1), () -> purchases(reader(), tenant),
                () -> orderCount(reader(), tenant),
                () -> reader().sql().tenant(tenant).tags("table:users").remember("n", Long.class, () -> 1L),
                () -> residentName(writer(), tenant, 1), () -> purchases(writer(), tenant),
                () -> orderCount(writer(), tenant),
                () -> writer().sql().tenant(tenant).tags("table:users").remember("n", Long.class, () -> 1L));
        reads.forEach(Runnable::run); // the reader loads and fills Redis, the writer fills its L1 from Redis
        Map<String, Long> generations = Map.of("residents", cluster().generation(tenant, "residents"),
                "users", cluster().generation(tenant, "users"), "orders", cluster().generation(tenant, "orders"));
        long productsGeneration = cluster().generation(tenant, "products");
        reader().lookups().clear();
        writer().lookups().clear();

        writeProductAndAwaitItsEviction(tenant, 1);

        reads.forEach(Runnable::run);
        for (Node node : List.of(reader(), writer())) {
            List<Tier> tiers = node.lookups().events().stream().filter(CacheEvent.Lookup.class::isInstance)
                    .map(CacheEvent.Lookup.class::cast).filter(lookup -> lookup.key().tenant().equals(tenant))
                    .map(CacheEvent.Lookup::tier).toList();
            assertThat(tiers).as("every read an L1 hit, none from Redis or the database").hasSize(4)
                    .containsOnly(Tier.L1);
        }
        generations.forEach((scope, generation) ->
                assertThat(cluster().generation(tenant, scope)).as(scope).isEqualTo(generation));
        assertThat(cluster().generation(tenant, "products")).as("one INCR, of the written table only")
                .isEqualTo(productsGeneration + 1);
    }

    @Test
    void aWriteOutsideATransactionIsRefusedBeforeItRuns() {
        String tenant = newTenant();
        setUp(tenant, sql -> insertResident(sql, tenant, 1, "Ani"));
        TenantSql sql = writer().sql().tenant(tenant);

        assertThatThrownBy(() -> sql.sql("UPDATE residents SET name = 'X' WHERE tenant_id = ?").param(tenant).update())
                .isInstanceOf(WriteOutsideTransactionException.class);
        assertThatThrownBy(() -> sql.sql("INSERT INTO residents (tenant_id, id, name, status) VALUES (?, 2, 'Y', 'A') "
                + "RETURNING id").param(tenant).query(Integer.class).list())
                .isInstanceOf(WriteOutsideTransactionException.class);
        assertThatThrownBy(() -> readOnly(() -> sql.sql("DELETE FROM residents WHERE tenant_id = ?").param(tenant)
                .update())).isInstanceOf(WriteOutsideTransactionException.class);

        assertThat(writer().jdbc().queryForList("SELECT name FROM residents WHERE tenant_id = ?", String.class, tenant))
                .containsExactly("Ani");
        assertThat(outboxRows(tenant)).as("only the insert of the setup").isEqualTo(1);
    }

    @Test
    void aRolledBackWritePublishesNothingAndEvictsNothing() {
        String tenant = newTenant();
        setUp(tenant, sql -> insertResident(sql, tenant, 1, "Ani"));
        residentName(writer(), tenant, 1);
        assertThat(read(writer(), () -> residentName(writer(), tenant, 1)).tier()).isEqualTo(Tier.L1);
        long generation = cluster().generation(tenant, "residents");

        writer().transactions().executeWithoutResult(status -> {
            writer().sql().tenant(tenant).sql("UPDATE residents SET name = 'Budi' WHERE tenant_id = ?").param(tenant)
                    .update();
            status.setRollbackOnly();
        });

        assertThat(outboxRows(tenant)).isEqualTo(1);
        assertThat(read(writer(), () -> residentName(writer(), tenant, 1))).isEqualTo(new Read<>("Ani", Tier.L1));
        assertThat(cluster().generation(tenant, "residents")).isEqualTo(generation);
    }

    @Test
    void readsInsideAReadWriteTransactionSeeItsOwnWritesAndAreNotCached() {
        String tenant = newTenant();
        setUp(tenant, sql -> insertResident(sql, tenant, 1, "Ani"));
        residentName(writer(), tenant, 1);

        String inside = writer().transactions().execute(status -> {
            writer().sql().tenant(tenant).sql("UPDATE residents SET name = 'Budi' WHERE tenant_id = ?").param(tenant)
                    .update();
            Read<String> read = read(writer(), () -> residentName(writer(), tenant, 1));
            assertThat(read.tier()).as("no cache lookup at all").isNull();
            status.setRollbackOnly();
            return read.value();
        });

        assertThat(inside).isEqualTo("Budi");
        assertThat(read(writer(), () -> residentName(writer(), tenant, 1))).isEqualTo(new Read<>("Ani", Tier.L1));
    }

    @Test
    void aStatementTheParserCannotReadRunsUncachedAndIsLoggedOnce() {
        String tenant = newTenant();
        setUp(tenant, sql -> {
            insertResident(sql, tenant, 1, "Ani");
            insertResident(sql, tenant, 2, "Budi");
        });
        String unreadable = "SELECT name FROM residents WHERE tenant_id = ? AND id BETWEEN SYMMETRIC ? AND ? "
                + "ORDER BY id";
        ListAppender<ILoggingEvent> logged = captureLog(SqlAnalyzer.class);
        try {
            for (int i = 0; i < 3; i++) {
                Read<List<String>> read = read(reader(), () -> reader().sql().tenant(tenant).sql(unreadable)
                        .params(tenant, 2, 1).query(String.class).list());
                assertThat(read).isEqualTo(new Read<>(List.of("Ani", "Budi"), null));
            }
            assertThat(logged.list).filteredOn(event -> event.getLevel() == Level.WARN)
                    .filteredOn(event -> event.getFormattedMessage().contains(SqlAnalyzer.digest(unreadable)))
                    .hasSize(1);
        } finally {
            stopCapture(SqlAnalyzer.class, logged);
        }

        // a write the parser cannot read: its explicit tags are what it invalidates
        residentName(reader(), tenant, 1);
        commit(tenant, sql -> sql.sql("UPDATE residents SET name = ? WHERE tenant_id = ? AND id BETWEEN SYMMETRIC ? "
                + "AND ?").params("Citra", tenant, 1, 1).tags("table:residents").update());
        await().atMost(PROPAGATION).until(() -> residentName(reader(), tenant, 1).equals("Citra"));
    }

    @Test
    void badTagsAreRefusedWithATypedError() {
        TenantSql sql = writer().sql().tenant(newTenant());
        assertThatThrownBy(() -> sql.tags("tenant:*")).isInstanceOf(InvalidNameException.class);
        assertThatThrownBy(() -> sql.flushTag()).isInstanceOf(InvalidNameException.class);
        assertThatThrownBy(() -> sql.flushTable("\"order items\"")).isInstanceOf(InvalidNameException.class);
        assertThatThrownBy(() -> sql.sql("SELECT 1 FROM orders").tags("a b")).isInstanceOf(InvalidNameException.class);
        assertThatThrownBy(() -> writer().sql().tenant("t:1")).isInstanceOf(InvalidNameException.class);
    }

    // ---- helpers

    void commit(String tenant, Consumer<TenantSql> work) {
        writer().transactions().executeWithoutResult(status -> work.accept(writer().sql().tenant(tenant)));
    }

    /** Commits fixture rows and waits until their invalidations reached both nodes, so they cannot land mid-test. */
    void setUp(String tenant, Consumer<TenantSql> work) {
        commit(tenant, work);
        settle();
    }

    /**
     * Waits until every invalidation of the writer's commits came back (its read-your-writes markers are cleared by
     * the broadcasts naming its events) and the reader received as many broadcasts as the writer.
     */
    void settle() {
        await().atMost(PROPAGATION).until(() -> writer().bean(ReadYourWrites.class).pending() == 0
                && reader().count(EvictionBroadcastHandler.RECEIVED) == writer().count(EvictionBroadcastHandler.RECEIVED));
    }

    <T> T readOnly(Supplier<T> work) {
        TransactionTemplate readOnly = new TransactionTemplate(writer().bean(PlatformTransactionManager.class));
        readOnly.setReadOnly(true);
        return readOnly.execute(status -> work.get());
    }

    /** Writes a product (an unrelated table) and waits until the reader applied the broadcast of that write. */
    void writeProductAndAwaitItsEviction(String tenant, int id) {
        double before = reader().count(EvictionBroadcastHandler.RECEIVED, "domain", "products");
        setUp(tenant, sql -> insertProduct(sql, tenant, id, "product " + id));
        assertThat(reader().count(EvictionBroadcastHandler.RECEIVED, "domain", "products")).isGreaterThan(before);
    }

    static <T> Read<T> read(Node node, Supplier<T> query) {
        node.lookups().takeLastTier();
        T value = query.get();
        return new Read<>(value, node.lookups().takeLastTier());
    }

    static CacheEvent.Lookup lastLookup(Node node) {
        List<CacheEvent> events = node.lookups().events();
        for (int i = events.size() - 1; i >= 0; i--) {
            if (events.get(i) instanceof CacheEvent.Lookup lookup) {
                return lookup;
            }
        }
        throw new AssertionError("no lookup recorded");
    }

    static String residentName(Node node, String tenant, int id) {
        return node.sql().tenant(tenant).sql("SELECT id, name FROM residents WHERE tenant_id = ? AND id = ?")
                .params(tenant, id).query(Resident.class).single().name();
    }

    static long orderCount(Node node, String tenant) {
        return node.sql().tenant(tenant).sql("SELECT COUNT(*) FROM orders WHERE tenant_id = ?").param(tenant)
                .query(Long.class).single();
    }

    static List<Purchase> purchases(Node node, String tenant) {
        return node.sql().tenant(tenant).sql("""
                SELECT u.name AS buyer, o.amount AS amount
                FROM users u JOIN orders o ON o.user_id = u.id AND o.tenant_id = u.tenant_id
                WHERE u.tenant_id = ? ORDER BY o.id""").param(tenant).query(Purchase.class).list();
    }

    static void insertResident(TenantSql sql, String tenant, int id, String name) {
        sql.sql("INSERT INTO residents (tenant_id, id, name, status) VALUES (?, ?, ?, 'ACTIVE')")
                .params(tenant, id, name).update();
    }

    static void insertUser(TenantSql sql, String tenant, int id, String name) {
        sql.sql("INSERT INTO users (tenant_id, id, name) VALUES (?, ?, ?)").params(tenant, id, name).update();
    }

    static void insertOrder(TenantSql sql, String tenant, int id, int userId, int amount, String status) {
        sql.sql("INSERT INTO orders (tenant_id, id, user_id, amount, status) VALUES (?, ?, ?, ?, ?)")
                .params(tenant, id, userId, amount, status).update();
    }

    static void insertProduct(TenantSql sql, String tenant, int id, String name) {
        sql.sql("INSERT INTO products (tenant_id, id, name) VALUES (?, ?, ?)").params(tenant, id, name).update();
    }

    long outboxRows(String tenant) {
        return writer().jdbc().queryForObject("SELECT COUNT(*) FROM cachebus_outbox WHERE tenant = ?", Long.class,
                tenant);
    }

    static String newTenant() {
        return "t-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static ListAppender<ILoggingEvent> captureLog(Class<?> type) {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        ((Logger) LoggerFactory.getLogger(type)).addAppender(appender);
        return appender;
    }

    static void stopCapture(Class<?> type, ListAppender<ILoggingEvent> appender) {
        ((Logger) LoggerFactory.getLogger(type)).detachAppender(appender);
    }

    @SafeVarargs
    private static <T> List<T> concat(List<T> list, T... more) {
        List<T> all = new ArrayList<>(list);
        all.addAll(List.of(more));
        return all;
    }
}
