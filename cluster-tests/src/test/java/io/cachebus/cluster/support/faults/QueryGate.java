package io.cachebus.cluster.support.faults;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * Holds one database read of one API node, to force an interleaving: a test arms the gate for a node, a tenant and
 * a statement; the next matching query on that node runs (so it has read the data as it is now) and then waits,
 * before its rows are handed to the caller, until the test releases it. Everything else passes straight through.
 *
 * <p>Every API node's DataSource is wrapped ({@link NodeTestHooks}); the nodes share this JVM, so a test reaches
 * the gate of any node through the static {@link #arm}.
 */
public final class QueryGate {

    /** The longest a query is held if the test never releases it (a failed test must not hang a node). */
    private static final Duration MAX_HOLD = Duration.ofSeconds(30);

    private static final Map<String, Hold> ARMED = new ConcurrentHashMap<>();

    private QueryGate() {
    }

    /**
     * Holds the next query on {@code node} whose SQL contains {@code sqlFragment} and that has {@code tenant} among
     * its parameters. One query only; close the hold to release it (and disarm the gate if nothing matched).
     */
    public static Hold arm(String node, String tenant, String sqlFragment) {
        Hold hold = new Hold(node, tenant, sqlFragment);
        if (ARMED.putIfAbsent(node, hold) != null) {
            throw new IllegalStateException("the gate of " + node + " is armed already");
        }
        return hold;
    }

    static DataSource wrap(String node, DataSource target) {
        return new GatedDataSource(node, target);
    }

    /** After a statement ran on {@code node}: waits here if it is the one the armed hold is for. */
    private static void afterQuery(String node, String sql, List<Object> parameters) {
        Hold hold = ARMED.get(node);
        if (hold != null && hold.matches(sql, parameters) && ARMED.remove(node, hold)) {
            hold.holdHere(sql);
        }
    }

    /** One armed gate: the test waits for {@link #awaitHeld}, does what must happen meanwhile, then releases. */
    public static final class Hold implements AutoCloseable {

        private final String node;
        private final String tenant;
        private final String sqlFragment;
        private final CountDownLatch held = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);
        private volatile String heldSql;

        private Hold(String node, String tenant, String sqlFragment) {
            this.node = node;
            this.tenant = tenant;
            this.sqlFragment = sqlFragment;
        }

        private boolean matches(String sql, List<Object> parameters) {
            return sql.contains(sqlFragment) && parameters.contains(tenant);
        }

        private void holdHere(String sql) {
            heldSql = sql;
            held.countDown();
            try {
                if (!released.await(MAX_HOLD.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new IllegalStateException("query held on " + node + " was never released: " + sql);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Waits until the matching query has run and is being held; fails after {@code timeout}. */
        public String awaitHeld(Duration timeout) {
            try {
                if (!held.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new AssertionError("no query containing '" + sqlFragment + "' for tenant " + tenant
                            + " ran on " + node + " within " + timeout);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return heldSql;
        }

        public void release() {
            released.countDown();
        }

        @Override
        public void close() {
            ARMED.remove(node, this);
            release();
        }
    }

    /** The node's DataSource, handing out connections whose prepared statements report to the gate. */
    static final class GatedDataSource extends DelegatingDataSource {

        private final String node;

        GatedDataSource(String node, DataSource target) {
            super(target);
            this.node = node;
        }

        @Override
        public Connection getConnection() throws SQLException {
            return gated(super.getConnection());
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return gated(super.getConnection(username, password));
        }

        private Connection gated(Connection connection) {
            return proxy(Connection.class, connection, (method, args) -> {
                Object result = method.invoke(connection, args);
                if (result instanceof PreparedStatement statement && method.getName().equals("prepareStatement")) {
                    return gated(statement, (String) args[0]);
                }
                return result;
            });
        }

        private PreparedStatement gated(PreparedStatement statement, String sql) {
            List<Object> parameters = new CopyOnWriteArrayList<>();
            return proxy(PreparedStatement.class, statement, (method, args) -> {
                String name = method.getName();
                if (name.startsWith("set") && args != null && args.length >= 2) {
                    parameters.add(args[1]);
                } else if (name.equals("clearParameters")) {
                    parameters.clear();
                }
                Object result = method.invoke(statement, args);
                if (name.equals("executeQuery")) {
                    afterQuery(node, sql, parameters);
                }
                return result;
            });
        }
    }

    @FunctionalInterface
    private interface Call {
        Object invoke(Method method, Object[] args) throws Throwable;
    }

    private static <T> T proxy(Class<T> type, T target, Call call) {
        InvocationHandler handler = (proxy, method, args) -> {
            switch (method.getName()) {
                case "equals":
                    return proxy == args[0];
                case "hashCode":
                    return System.identityHashCode(proxy);
                default:
                    try {
                        return call.invoke(method, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
            }
        };
        return type.cast(Proxy.newProxyInstance(QueryGate.class.getClassLoader(), new Class<?>[] {type}, handler));
    }
}
