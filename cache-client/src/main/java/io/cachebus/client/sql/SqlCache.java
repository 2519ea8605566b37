package io.cachebus.client.sql;

/**
 * SQL reads through the tiered cache, tagged with every table they read, and writes that invalidate those tags:
 * automatic table-based invalidation (the table-tag requirement, docs/glossary.md), on the cachebus bus.
 *
 * <pre>{@code
 * List<Order> open = sqlCache.tenant(tenant)
 *         .sql("SELECT o.* FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.status = ?")
 *         .param("OPEN").query(Order.class).list();        // cached, tagged orders + customers
 *
 * transactions.executeWithoutResult(status -> sqlCache.tenant(tenant)
 *         .sql("UPDATE customers SET name = ? WHERE id = ?").params("Budi", 7).update());
 *         // after commit: DomainMutated(tenant, customers) through the outbox; the JOIN above is invalidated
 *         // on every node, entries that read neither table are not
 * }</pre>
 *
 * <ul>
 *   <li>Each read is parsed (JSqlParser) and every table it reads — FROM, JOIN, subqueries anywhere, CTE bodies,
 *       every UNION branch — becomes a scope the entry depends on. A table's scope is its lower-cased name
 *       ({@code cachebus.sql.table-scopes} maps it otherwise), the same namespace as the domains of
 *       {@link io.cachebus.client.CacheKey}: the table {@code workflows} and the domain {@code workflows} are one
 *       scope.</li>
 *   <li>A write (INSERT, UPDATE, DELETE, MERGE, UPSERT, INSERT ... ON CONFLICT, TRUNCATE) must run in a
 *       transaction; it records one {@code DomainMutated} per table it writes through the
 *       {@link io.cachebus.client.MutationPublisher} (the outbox), so the invalidation happens after commit, or not
 *       at all on rollback.</li>
 *   <li>What cannot be parsed runs uncached, is logged once, and never fails because of caching. Reads that must not
 *       be cached (locking reads, volatile functions such as {@code now()}, reads inside a read-write transaction)
 *       run uncached.</li>
 * </ul>
 */
public interface SqlCache {

    /**
     * The facility for one tenant: entries and invalidations are per tenant. Pass the tenant of the authenticated
     * principal whose rows the statements read and write, never one taken from request data.
     *
     * @throws io.cachebus.events.InvalidNameException when the tenant is not a valid name
     */
    TenantSql tenant(String tenant);
}
