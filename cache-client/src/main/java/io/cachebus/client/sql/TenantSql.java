package io.cachebus.client.sql;

/** {@link SqlCache} for one tenant: statements, tagged entries and flushes. */
public interface TenantSql {

    String tenant();

    /** A statement, shaped like Spring's {@code JdbcClient.sql(...)}: bind parameters, then query or update. */
    SqlStatement sql(String sql);

    /**
     * Entries of this tenant explicitly tagged, the table-tag requirement's {@code tags([...])->put(...)}: the entries depend on the
     * scopes of every tag and go when any of them is flushed or any of their tables is written.
     *
     * @param tags {@code table:{name}} for a table's scopes, or a scope name ({@code reports}, {@code workflows})
     * @throws io.cachebus.events.InvalidNameException when a tag is neither, or none is given
     */
    TaggedEntries tags(String... tags);

    /**
     * Invalidates every entry of this tenant carrying any of these tags, on every node, through the outbox, the
     * invalidator and the eviction broadcast. Inside a read-write transaction it is recorded in it and takes effect
     * when it commits; otherwise it runs in a transaction of its own and has taken effect on this node on return.
     *
     * @throws io.cachebus.events.InvalidNameException when a tag is neither {@code table:{name}} nor a scope name
     */
    void flushTag(String... tags);

    /** {@link #flushTag} of {@code table:{name}} for each table. */
    void flushTable(String... tables);
}
