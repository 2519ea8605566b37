package io.cachebus.client.sql;

import java.util.List;
import java.util.Optional;

/**
 * The rows of a query, fetched (or taken from the cache) when asked for. The same contract as
 * {@code JdbcClient.MappedQuerySpec}: {@link #single()} and {@link #optional()} throw the same exceptions.
 */
public interface Rows<T> {

    /** Every row, in order; an unmodifiable list, cached or not. */
    List<T> list();

    /**
     * The one row.
     *
     * @throws org.springframework.dao.EmptyResultDataAccessException         when there is none
     * @throws org.springframework.dao.IncorrectResultSizeDataAccessException when there are several
     */
    T single();

    /**
     * The row, if there is one.
     *
     * @throws org.springframework.dao.IncorrectResultSizeDataAccessException when there are several
     */
    Optional<T> optional();
}
