package io.cachebus.client.internal.sql.analysis;

import io.cachebus.events.Operation;
import java.lang.reflect.Field;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.NextValExpression;
import net.sf.jsqlparser.expression.TimeKeyExpression;
import net.sf.jsqlparser.expression.UserVariable;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.alter.Alter;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.drop.Drop;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.merge.Merge;
import net.sf.jsqlparser.statement.refresh.RefreshMaterializedViewStatement;
import net.sf.jsqlparser.statement.select.AllTableColumns;
import net.sf.jsqlparser.statement.select.FromItem;
import net.sf.jsqlparser.statement.select.Join;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.TableFunction;
import net.sf.jsqlparser.statement.select.WithItem;
import net.sf.jsqlparser.statement.truncate.Truncate;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.upsert.Upsert;

/**
 * Finds every table a parsed statement reads or writes by walking its whole syntax tree, field by field, rather than
 * through a visitor that lists the clauses it knows: a subquery in ORDER BY, GROUP BY, a FILTER or QUALIFY clause or
 * a window definition is found like one in WHERE, and a clause a later parser release adds is found without a change
 * here. A table missed would mean an entry that no write invalidates, so completeness comes first.
 *
 * <p>CTE names are scoped as SQL scopes them: a WITH list's names are visible in the statement it belongs to, and
 * inside the CTE bodies only for earlier CTEs of the list (or all of them under RECURSIVE). So in
 * {@code WITH orders AS (SELECT * FROM orders) SELECT * FROM orders} the inner {@code orders} is the table and the
 * outer one the CTE. A reference is taken for a CTE only when it certainly names it (see
 * {@link TableName#certainlySameAs}); when in doubt it counts as a table, which costs at most an extra invalidation.
 */
final class StatementWalker {

    /** Tables whose name appears in a statement without being a relation of the database. */
    private static final Set<String> PSEUDO_TABLES = Set.of("dual");

    private static final ClassValue<List<Field>> FIELDS = new ClassValue<>() {
        @Override
        protected List<Field> computeValue(Class<?> type) {
            List<Field> fields = new ArrayList<>();
            for (Class<?> c = type; c != null && isParserType(c); c = c.getSuperclass()) {
                for (Field field : c.getDeclaredFields()) {
                    int modifiers = field.getModifiers();
                    // transient: the raw parse tree (SimpleNode, tokens, parent links) the AST keeps a handle on
                    if (Modifier.isStatic(modifiers) || Modifier.isTransient(modifiers) || field.getType().isPrimitive()
                            || field.getType() == String.class) {
                        continue;
                    }
                    try {
                        field.setAccessible(true);
                    } catch (InaccessibleObjectException | SecurityException e) {
                        throw new IllegalStateException("cannot read " + field + " of the SQL syntax tree", e);
                    }
                    fields.add(field);
                }
            }
            return List.copyOf(fields);
        }
    };

    private final Set<String> volatileFunctions;
    private final Set<Object> visited = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Set<TableName> read = new LinkedHashSet<>();
    private final Set<TableName> written = new LinkedHashSet<>();
    private Operation firstWrite;
    private String uncacheableBecause;

    private StatementWalker(Set<String> volatileFunctions) {
        this.volatileFunctions = volatileFunctions;
    }

    /**
     * @param volatileFunctions lower-case names of functions whose result changes between calls with the same
     *                          arguments or that have side effects; a read calling one is not cached
     */
    static StatementAnalysis analyze(List<Statement> statements, Set<String> volatileFunctions) {
        StatementWalker walker = new StatementWalker(volatileFunctions);
        walker.walk(statements, Ctes.NONE);
        return walker.result(statements);
    }

    private StatementAnalysis result(List<Statement> statements) {
        if (!written.isEmpty()) {
            return new StatementAnalysis.Write(written, firstWrite);
        }
        boolean allReads = !statements.isEmpty() && statements.stream().allMatch(Select.class::isInstance);
        if (!allReads) {
            return new StatementAnalysis.Other(statements.isEmpty() ? "empty"
                    : statements.get(0).getClass().getSimpleName());
        }
        String reason = uncacheableBecause;
        if (reason == null && statements.size() > 1) {
            reason = "several statements";
        }
        if (reason == null && read.isEmpty()) {
            reason = "reads no table";
        }
        return new StatementAnalysis.Read(read, Optional.ofNullable(reason));
    }

    private void walk(Object node, Ctes ctes) {
        if (node == null) {
            return;
        }
        if (node instanceof Collection<?> items) {
            items.forEach(item -> walk(item, ctes));
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> {
                walk(key, ctes);
                walk(value, ctes);
            });
            return;
        }
        if (node instanceof Object[] array) {
            for (Object item : array) {
                walk(item, ctes);
            }
            return;
        }
        if (!isParserType(node.getClass()) || node instanceof Enum<?> || !visited.add(node)) {
            return;
        }
        if (node instanceof Table table) {
            readTable(table, ctes);
            return;
        }
        inspect(node);
        List<WithItem<?>> withItems = withItemsOf(node);
        Ctes inner = withItems.isEmpty() ? ctes : walkWithItems(withItems, ctes);
        // in o.id and o.* the table part names an alias or a table the FROM clause lists anyway
        boolean qualifier = node instanceof Column || node instanceof AllTableColumns;
        for (Field field : FIELDS.get(node.getClass())) {
            Object value = read(field, node);
            if (value == withItems || (qualifier && value instanceof Table)) {
                continue;
            }
            walk(value, inner);
        }
    }

    /** Walks each CTE body with the names visible to it; returns the scope of the statement the list belongs to. */
    private Ctes walkWithItems(List<WithItem<?>> items, Ctes outer) {
        List<TableName> names = new ArrayList<>(items.size());
        boolean recursive = false;
        for (WithItem<?> item : items) {
            recursive |= item.isRecursive();
            if (item.getAlias() != null && item.getAlias().getName() != null) {
                names.add(TableName.ofIdentifier(item.getAlias().getName()));
            }
        }
        Ctes all = outer.with(names);
        Ctes earlier = outer;
        for (int i = 0; i < items.size(); i++) {
            walk(items.get(i), recursive ? all : earlier);
            if (i < names.size()) {
                earlier = earlier.with(List.of(names.get(i)));
            }
        }
        return all;
    }

    private void readTable(Table table, Ctes ctes) {
        if (table.getName() == null || table.getName().isEmpty()) {
            return;
        }
        TableName name = TableName.ofIdentifier(table.getName());
        boolean qualified = table.getSchemaName() != null || table.getDatabaseName() != null;
        if (!qualified && (ctes.certainlyNames(name) || (!name.quoted() && PSEUDO_TABLES.contains(name.folded())))) {
            return;
        }
        read.add(name);
    }

    /** What a node means beyond the tables under it: a write and its targets, or a reason not to cache the read. */
    private void inspect(Object node) {
        if (node instanceof Insert insert) {
            boolean upsert = insert.getConflictAction() != null || insert.getDuplicateUpdateSets() != null;
            write(upsert ? Operation.UPDATE : Operation.CREATE, insert.getTable());
        } else if (node instanceof Update update) {
            write(Operation.UPDATE, update.getTable());
            // MySQL's multi-table UPDATE a JOIN b SET ... may write any of them
            writeJoined(Operation.UPDATE, update.getStartJoins());
        } else if (node instanceof Delete delete) {
            write(Operation.DELETE, delete.getTable());
            if (delete.getTables() != null && !delete.getTables().isEmpty()) {
                // MySQL's DELETE a, b FROM a JOIN b: the listed names may be aliases of any joined table
                delete.getTables().forEach(table -> write(Operation.DELETE, table));
                writeJoined(Operation.DELETE, delete.getJoins());
            }
        } else if (node instanceof Merge merge) {
            write(Operation.UPDATE, merge.getTable());
        } else if (node instanceof Upsert upsert) {
            write(Operation.UPDATE, upsert.getTable());
        } else if (node instanceof Truncate truncate) {
            write(Operation.DELETE, truncate.getTable());
            if (truncate.getTables() != null) {
                truncate.getTables().forEach(table -> write(Operation.DELETE, table));
            }
        } else if (node instanceof Drop drop) {
            String type = drop.getType() == null ? "" : drop.getType().toUpperCase(Locale.ROOT);
            if (type.equals("TABLE") || type.contains("VIEW")) {
                write(Operation.DELETE, drop.getName());
            }
        } else if (node instanceof Alter alter) {
            write(Operation.UPDATE, alter.getTable());
        } else if (node instanceof RefreshMaterializedViewStatement refresh) {
            write(Operation.UPDATE, refresh.getView());
        } else if (node instanceof TableFunction function) {
            uncacheable("table function " + function.getName());
        } else if (node instanceof Function function) {
            String name = function.getName();
            if (name != null) {
                String simple = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
                if (volatileFunctions.contains(simple)) {
                    uncacheable("volatile function " + simple);
                }
            }
        } else if (node instanceof TimeKeyExpression time) {
            uncacheable("current time " + time.getStringValue());
        } else if (node instanceof NextValExpression) {
            uncacheable("sequence value");
        } else if (node instanceof UserVariable) {
            uncacheable("session variable");
        }
        if (node instanceof Select select && (select.getForMode() != null || select.getForUpdateTable() != null)) {
            uncacheable("locking read");
        }
        if (node instanceof PlainSelect select && (select.getIntoTables() != null || select.getIntoTempTable() != null)) {
            uncacheable("SELECT INTO");
        }
    }

    private void write(Operation operation, Table table) {
        if (table != null && table.getName() != null && !table.getName().isEmpty()) {
            written.add(TableName.ofIdentifier(table.getName()));
            if (firstWrite == null) {
                firstWrite = operation;
            }
        }
    }

    private void writeJoined(Operation operation, List<Join> joins) {
        if (joins != null) {
            for (Join join : joins) {
                FromItem item = join.getFromItem();
                if (item instanceof Table table) {
                    write(operation, table);
                }
            }
        }
    }

    private void uncacheable(String reason) {
        if (uncacheableBecause == null) {
            uncacheableBecause = reason;
        }
    }

    private static List<WithItem<?>> withItemsOf(Object node) {
        List<WithItem<?>> items = null;
        if (node instanceof Select select) {
            items = select.getWithItemsList();
        } else if (node instanceof Insert insert) {
            items = insert.getWithItemsList();
        } else if (node instanceof Update update) {
            items = update.getWithItemsList();
        } else if (node instanceof Delete delete) {
            items = delete.getWithItemsList();
        } else if (node instanceof Merge merge) {
            items = merge.getWithItemsList();
        }
        return items == null ? List.of() : items;
    }

    private static Object read(Field field, Object node) {
        try {
            return field.get(node);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read " + field + " of the SQL syntax tree", e);
        }
    }

    private static boolean isParserType(Class<?> type) {
        return type.getName().startsWith("net.sf.jsqlparser.") && !type.getName().startsWith("net.sf.jsqlparser.parser.");
    }

    /** The CTE names in scope at a point of the tree. */
    private record Ctes(List<TableName> names) {

        static final Ctes NONE = new Ctes(List.of());

        Ctes with(List<TableName> more) {
            List<TableName> all = new ArrayList<>(names);
            all.addAll(more);
            return new Ctes(List.copyOf(all));
        }

        boolean certainlyNames(TableName reference) {
            return names.stream().anyMatch(reference::certainlySameAs);
        }
    }
}
