package io.cachebus.localcluster;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;

/**
 * A database of the cluster's own on a PostgreSQL server it does not own (the machine's, shared with others): it is
 * created when missing, and nothing else on the server is touched (no setting, no other database).
 *
 * @param host     the server's host (default 127.0.0.1)
 * @param port     its port (default 5432)
 * @param user     a user that may create databases, with no password (local trust authentication; default postgres)
 * @param database the cluster's database (default cachebus_local)
 */
public record PostgresDatabase(String host, int port, String user, String database) {

    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final int CONNECT_TIMEOUT_MS = 2_000;

    public PostgresDatabase {
        if (!NAME.matcher(database).matches() || !NAME.matcher(user).matches()) {
            throw new IllegalArgumentException("database and user names are lower-case letters, digits and _: "
                    + user + "@" + database);
        }
    }

    public static PostgresDatabase localDefault() {
        return new PostgresDatabase("127.0.0.1", 5432, "postgres", "cachebus_local");
    }

    public PostgresDatabase withDatabase(String name) {
        return new PostgresDatabase(host, port, user, name);
    }

    /** The database's JDBC URL, the user in it. */
    public String jdbcUrl() {
        return urlOf(database);
    }

    private String urlOf(String name) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + name + "?user=" + user + "&connectTimeout="
                + CONNECT_TIMEOUT_MS / 1000 + "&ApplicationName=cachebus-local-cluster";
    }

    /** Whether the server accepts connections and lets the user in. */
    public boolean isReachable() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
        } catch (java.io.IOException e) {
            return false;
        }
        try (Connection ignored = DriverManager.getConnection(urlOf("postgres"))) {
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    /** Creates the database when the server has none of that name; returns its JDBC URL. */
    public String ensureExists() {
        try (Connection server = DriverManager.getConnection(urlOf("postgres"))) {
            try (PreparedStatement exists = server.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                exists.setString(1, database);
                try (ResultSet row = exists.executeQuery()) {
                    if (!row.next()) {
                        try (Statement create = server.createStatement()) {
                            // the name was checked against NAME: no quoting needed, none possible to abuse
                            create.execute("CREATE DATABASE " + database);
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the database " + database + " on " + host + ":" + port
                    + " as " + user + " (is PostgreSQL installed and running? deploy/local/ensure-postgresql.sh"
                    + " installs Debian's)", e);
        }
        return jdbcUrl();
    }

    /** Drops the database (a test's own, say); nothing else. */
    public void drop() {
        try (Connection server = DriverManager.getConnection(urlOf("postgres"));
                Statement drop = server.createStatement()) {
            drop.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop the database " + database, e);
        }
    }
}
