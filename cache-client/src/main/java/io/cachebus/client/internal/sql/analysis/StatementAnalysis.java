package io.cachebus.client.internal.sql.analysis;

import io.cachebus.events.Operation;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** What one SQL text does to the tables, as far as caching and invalidation are concerned. */
public sealed interface StatementAnalysis {

    /**
     * A query that only reads.
     *
     * @param tables             every table it reads: FROM and JOIN items, subqueries anywhere (EXISTS, IN, scalar,
     *                           LATERAL), every branch of a UNION/INTERSECT/EXCEPT and the bodies of its CTEs (whose
     *                           own names are not tables)
     * @param uncacheableBecause why its result must not be cached even though its tables are known (a locking read,
     *                           a volatile function such as {@code now()}, a table function, no table at all, ...)
     */
    record Read(Set<TableName> tables, Optional<String> uncacheableBecause) implements StatementAnalysis {

        public Read {
            tables = Set.copyOf(tables);
            Objects.requireNonNull(uncacheableBecause, "uncacheableBecause");
        }

        public boolean cacheable() {
            return uncacheableBecause.isEmpty();
        }
    }

    /**
     * A statement that changes rows (or a table's definition): INSERT (also with ON CONFLICT / ON DUPLICATE KEY),
     * UPDATE, DELETE, MERGE, UPSERT/REPLACE, TRUNCATE, ALTER/DROP TABLE, REFRESH MATERIALIZED VIEW, or a query with a
     * data-modifying CTE.
     *
     * @param tables    the tables it writes (its targets; the tables it merely reads are not listed)
     * @param operation the kind of write, as published in {@code DomainMutated}
     */
    record Write(Set<TableName> tables, Operation operation) implements StatementAnalysis {

        public Write {
            tables = Set.copyOf(tables);
            Objects.requireNonNull(operation, "operation");
        }
    }

    /** A statement understood but neither a read worth caching nor a write of rows (CREATE, GRANT, SET, ...). */
    record Other(String statementType) implements StatementAnalysis {
    }

    /** A text the parser could not read (a dialect feature it does not know, a syntax error, a parse timeout). */
    record Unreadable(String reason) implements StatementAnalysis {
    }
}
