package io.cachebus.client.internal.sql.datasource;

import io.cachebus.client.CachebusMeter;
import io.cachebus.client.MutationPublisher;
import io.cachebus.events.Names;
import io.cachebus.events.Operation;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import javax.sql.DataSource;
import net.ttddyy.dsproxy.ExecutionInfo;
import net.ttddyy.dsproxy.QueryInfo;
import net.ttddyy.dsproxy.listener.MethodExecutionContext;
import net.ttddyy.dsproxy.listener.MethodExecutionListener;
import net.ttddyy.dsproxy.listener.QueryExecutionListener;
import net.ttddyy.dsproxy.proxy.ProxyJdbcObject;
import net.ttddyy.dsproxy.support.ProxyDataSourceBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.function.SingletonSupplier;

/**
 * Sees every statement run on the DataSource it wraps (JdbcTemplate, JPA/Hibernate, jOOQ, plain JDBC alike) and
 * records one {@code DomainMutated} per scope of every table a statement writes, through the outbox:
 * <ul>
 *   <li>on the connection of the thread's Spring transaction: in that transaction, after the statement, so the
 *       invalidation commits with the write or not at all;</li>
 *   <li>on a connection in auto-commit: in a transaction of its own right after the statement, which has committed
 *       by then;</li>
 *   <li>on a connection whose transaction the application drives itself ({@code setAutoCommit(false)} ...
 *       {@code commit()}): remembered per connection, recorded in a transaction of its own after {@code commit()}
 *       (or a {@code close()} or {@code setAutoCommit(true)}, which may commit), forgotten on {@code rollback()}.</li>
 * </ul>
 * The tenant and what the statement writes are known before it runs: a write with no tenant is refused then.
 */
public final class TableTaggingListener implements QueryExecutionListener, MethodExecutionListener {

    public static final String UNPARSED = CachebusMeter.SQL_UNPARSED.meterName();
    public static final String FAILED = CachebusMeter.SQL_INVALIDATIONS_FAILED.meterName();

    private static final Logger log = LoggerFactory.getLogger(TableTaggingListener.class);
    private static final String PLANNED = TableTaggingListener.class.getName() + ".planned";

    /**
     * What the listener needs from the application context, each looked up when first needed: the analysis at the
     * first statement, the tenant and the outbox at the first write to a table with scopes. Statements run while the
     * outbox itself is created (its schema) need neither, so the outbox may depend on this DataSource.
     */
    public record Collaborators(Supplier<WrittenScopes> scopes, Supplier<WriteTenantResolver> tenants,
            Supplier<MutationPublisher> publisher, Supplier<MeterRegistry> registry) {

        Collaborators once() {
            return new Collaborators(SingletonSupplier.of(scopes), SingletonSupplier.of(tenants),
                    SingletonSupplier.of(publisher), SingletonSupplier.of(registry));
        }
    }

    /** A write about to run, with everything known before it runs. */
    private record PlannedWrite(String tenant, WrittenScopes.Written written) {
    }

    private final Collaborators collaborators;
    private final Supplier<Meters> meters;
    private final Map<String, List<PlannedWrite>> uncommitted = new ConcurrentHashMap<>();
    private volatile DataSource proxy;
    private volatile TransactionTemplate ownTransaction;

    private TableTaggingListener(Collaborators collaborators) {
        this.collaborators = collaborators.once();
        this.meters = SingletonSupplier.of(() -> new Meters(this.collaborators.registry().get()));
    }

    /**
     * {@code target} behind a proxy that tags its writes. The collaborators are looked up at the first statement,
     * not now: they (the outbox publisher above all) depend on this DataSource.
     */
    public static DataSource wrap(String name, DataSource target, Collaborators collaborators) {
        TableTaggingListener listener = new TableTaggingListener(collaborators);
        DataSource proxy = ProxyDataSourceBuilder.create(name, target).listener(listener).methodListener(listener)
                .build();
        listener.proxy = proxy;
        return proxy;
    }

    @Override
    public void beforeQuery(ExecutionInfo execution, List<QueryInfo> queries) {
        if (UntaggedStatements.active()) {
            return;
        }
        List<String> texts = queries.stream().map(QueryInfo::getQuery).toList();
        Optional<WrittenScopes.Written> written = collaborators.scopes().get().of(texts);
        if (written.isEmpty()) {
            return;
        }
        if (written.get().unparsed()) {
            meters.get().unparsed.increment();
            if (written.get().scopes().isEmpty() && onReadOnlyConnection(execution)) {
                return; // whatever it is, it cannot have written
            }
        }
        String tenant = collaborators.tenants().get().currentTenant().orElseThrow(() -> new WriteTenantUnknownException(
                "no tenant for a write on the table-tagging DataSource (cachebus.sql.datasource-tags): set "
                        + "cachebus.sql.datasource-tags.tenant or provide a TenantResolver bean; the statement "
                        + "was not run"));
        execution.addCustomValue(PLANNED, new PlannedWrite(Names.require("tenant", tenant), written.get()));
    }

    @Override
    public void afterQuery(ExecutionInfo execution, List<QueryInfo> queries) {
        PlannedWrite planned = execution.getCustomValue(PLANNED, PlannedWrite.class);
        // a failed statement changed nothing; a failed batch may have applied its first statements
        if (planned == null || !(execution.isSuccess() || execution.isBatch())) {
            return;
        }
        try {
            UntaggedStatements.run(() -> {
                try {
                    record(execution, planned);
                } catch (SQLException e) {
                    throw new DataAccessResourceFailureException("could not record the tables a write changed", e);
                }
                return null;
            });
        } catch (RuntimeException e) {
            if (execution.isSuccess()) {
                throw e; // the write's transaction must not commit without its invalidation
            }
            // the batch's own failure is what the caller must see; a PostgreSQL transaction is aborted by it anyway
            log.warn("a failed batch's invalidation could not be recorded tenant={} error={}", planned.tenant(),
                    e.toString());
        }
    }

    private static boolean onReadOnlyConnection(ExecutionInfo execution) {
        try {
            return execution.getStatement().getConnection().isReadOnly();
        } catch (SQLException e) {
            return false;
        }
    }

    private void record(ExecutionInfo execution, PlannedWrite planned) throws SQLException {
        Connection connection = execution.getStatement().getConnection();
        PlannedWrite write = planned.written().unparsed() ? everyTable(planned, connection) : planned;
        if (write.written().scopes().isEmpty()) {
            return;
        }
        if (isConnectionOfSpringTransaction(connection)) {
            recordIn(write);
        } else if (connection.getAutoCommit()) {
            recordAfterCommit(List.of(write));
        } else {
            uncommitted.computeIfAbsent(execution.getConnectionId(), id -> new ArrayList<>()).add(write);
        }
    }

    private PlannedWrite everyTable(PlannedWrite planned, Connection connection) throws SQLException {
        Set<String> scopes = collaborators.scopes().get().everyTableScope(connection);
        scopes.addAll(planned.written().scopes());
        return new PlannedWrite(planned.tenant(),
                new WrittenScopes.Written(scopes, Operation.UPDATE, true));
    }

    @Override
    public void beforeMethod(MethodExecutionContext context) {
    }

    /** Follows transactions the application drives on the connection itself. */
    @Override
    public void afterMethod(MethodExecutionContext context) {
        if (!(context.getTarget() instanceof Connection) || uncommitted.isEmpty()) {
            return;
        }
        String connectionId = context.getConnectionInfo().getConnectionId();
        Object[] arguments = context.getMethodArgs();
        boolean succeeded = context.getThrown() == null;
        switch (context.getMethod().getName()) {
            case "commit" -> {
                if (succeeded) {
                    recordAfterCommit(uncommitted.remove(connectionId));
                }
            }
            case "rollback" -> {
                // to a savepoint, the writes before it stay: they are still recorded at commit
                if (succeeded && (arguments == null || arguments.length == 0)) {
                    uncommitted.remove(connectionId);
                }
            }
            case "setAutoCommit" -> {
                if (arguments != null && Boolean.TRUE.equals(arguments[0])) {
                    recordAfterCommit(uncommitted.remove(connectionId)); // switching auto-commit on commits
                }
            }
            case "close" -> recordAfterCommit(uncommitted.remove(connectionId)); // some drivers commit on close
            default -> {
            }
        }
    }

    private boolean isConnectionOfSpringTransaction(Connection connection) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()
                || !TransactionSynchronizationManager.isSynchronizationActive()) {
            return false;
        }
        Object resource = TransactionSynchronizationManager.getResource(proxy);
        return resource instanceof ConnectionHolder holder && holder.getConnectionHandle() != null
                && physical(holder.getConnection()) == physical(connection);
    }

    private static Connection physical(Connection connection) {
        Connection current = connection;
        while (current instanceof ProxyJdbcObject proxied && proxied.getTarget() instanceof Connection target) {
            current = target;
        }
        return current;
    }

    private void recordIn(PlannedWrite write) {
        MutationPublisher publisher = collaborators.publisher().get();
        for (String scope : write.written().scopes()) {
            publisher.recordMutation(write.tenant(), scope, write.written().operation(), Optional.empty(),
                    List.of());
        }
        meters.get().invalidations.increment(write.written().scopes().size());
        log.debug("jdbc write recorded tenant={} scopes={} unparsed={}", write.tenant(), write.written().scopes(),
                write.written().unparsed());
    }

    /**
     * Records writes that have committed already, in a transaction of its own. Never fails the caller, whose write
     * is durable: a failure is logged and counted, and the entries stay until their TTL.
     */
    private void recordAfterCommit(List<PlannedWrite> writes) {
        if (writes == null || writes.isEmpty()) {
            return;
        }
        UntaggedStatements.run(() -> {
            try {
                ownTransaction().executeWithoutResult(status -> writes.forEach(this::recordIn));
            } catch (RuntimeException e) {
                meters.get().failed.increment();
                log.error("a committed jdbc write could not record its invalidation; its tables' entries stay until "
                        + "their TTL writes={}", writes, e);
            }
            return null;
        });
    }

    private TransactionTemplate ownTransaction() {
        TransactionTemplate template = ownTransaction;
        if (template == null) {
            template = new TransactionTemplate(new JdbcTransactionManager(proxy));
            template.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
            ownTransaction = template;
        }
        return template;
    }

    private static final class Meters {

        final Counter unparsed;
        final Counter invalidations;
        final Counter failed;

        Meters(MeterRegistry registry) {
            this.unparsed = CachebusMeter.SQL_UNPARSED.counter().register(registry);
            this.invalidations = CachebusMeter.SQL_INVALIDATIONS.counter().tag("trigger", "datasource")
                    .register(registry);
            this.failed = CachebusMeter.SQL_INVALIDATIONS_FAILED.counter().register(registry);
        }
    }
}
