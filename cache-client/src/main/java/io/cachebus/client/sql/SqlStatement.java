package io.cachebus.client.sql;

import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.support.KeyHolder;

/**
 * One SQL statement of a tenant: positional ({@code ?}) or named ({@code :name}) parameters, then a query or an
 * update. What the statement does to the tables decides how it runs, whichever method is called:
 * <ul>
 *   <li>a cacheable read is answered from the tiered cache, keyed by the tenant, the text, the parameters and the
 *       row mapping, and dependent on the scopes of every table it reads;</li>
 *   <li>a write (also a query with {@code RETURNING} or a data-modifying CTE) must run in a read-write transaction
 *       ({@link WriteOutsideTransactionException} otherwise, before anything is executed) and records one
 *       {@code DomainMutated} per table written, after the statement, in that transaction;</li>
 *   <li>anything else runs as it would through {@code JdbcClient}.</li>
 * </ul>
 */
public interface SqlStatement {

    /** Binds the next positional parameter. */
    SqlStatement param(Object value);

    /** Binds a named parameter. */
    SqlStatement param(String name, Object value);

    SqlStatement params(Object... values);

    SqlStatement params(List<?> values);

    SqlStatement params(Map<String, ?> values);

    /**
     * Adds scopes beyond the statement's own tables, as {@link TenantSql#tags}: a read's entry also depends on them, a
     * write (or a statement the parser cannot read, run through {@link #update()}) also invalidates them. The way to
     * make a write the parser cannot read invalidate its tables: {@code .tags("table:orders")}.
     */
    SqlStatement tags(String... tags);

    /**
     * Rows mapped to {@code type} as {@code JdbcClient.query(Class)} maps them (a record or bean by column names, a
     * simple type from the single column). Values must round-trip through JSON to an equal value, since the shared
     * cache stores them as JSON.
     */
    <T> Rows<T> query(Class<T> type);

    /**
     * Rows mapped by {@code mapper} into {@code type}. The mapper's class is part of the cache key: give mappers that
     * should share entries across nodes a named class (lambda class names differ between JVMs, which costs L2 hits,
     * never correctness).
     */
    <T> Rows<T> query(RowMapper<T> mapper, Class<T> type);

    /** Executes the statement; returns the affected row count. */
    int update();

    /** Executes the statement, putting generated keys into {@code generatedKeys}. */
    int update(KeyHolder generatedKeys);
}
