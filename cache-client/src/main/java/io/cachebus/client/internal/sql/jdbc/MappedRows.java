package io.cachebus.client.internal.sql.jdbc;

import io.cachebus.client.sql.Rows;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.support.DataAccessUtils;

final class MappedRows<T> implements Rows<T> {

    private final DefaultSqlStatement statement;
    private final DefaultSqlStatement.RowMapping<T> mapping;

    MappedRows(DefaultSqlStatement statement, DefaultSqlStatement.RowMapping<T> mapping) {
        this.statement = statement;
        this.mapping = mapping;
    }

    @Override
    public List<T> list() {
        return statement.rows(mapping);
    }

    @Override
    public T single() {
        return DataAccessUtils.requiredSingleResult(list());
    }

    @Override
    public Optional<T> optional() {
        return DataAccessUtils.optionalResult(list());
    }
}
