package dev.trainyard.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The PostgreSQL server the bench measures ingest on: a database of the bench's own, created fresh
 * and dropped afterwards, and the server processes whose CPU counts as the database's.
 */
final class BenchPostgres {

    /** JDBC URL of the server, ending in '/', e.g. {@code jdbc:postgresql://127.0.0.1:5432/}. */
    final String server;
    final String user;

    BenchPostgres(String server, String user) {
        this.server = server.endsWith("/") ? server : server + "/";
        this.user = user;
    }

    /** Whether the server answers within two seconds. */
    boolean reachable() {
        DriverManager.setLoginTimeout(2);
        try (Connection c = admin()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    /** Creates the database and returns its JDBC URL. */
    String create(String database) throws SQLException {
        try (Connection c = admin()) {
            c.createStatement().execute("create database " + database);
        }
        return server + database;
    }

    /**
     * Has the server log the plan, with actual rows and timings, of every statement on the
     * database slower than {@code millis} (auto_explain, to the server's log); set before the
     * server under test connects.
     */
    void explainSlowerThan(String database, int millis) throws SQLException {
        try (Connection c = admin(); var statement = c.createStatement()) {
            statement.execute("alter database " + database + " set session_preload_libraries = 'auto_explain'");
            statement.execute("alter database " + database + " set auto_explain.log_min_duration = " + millis);
            statement.execute("alter database " + database + " set auto_explain.log_analyze = on");
            statement.execute("alter database " + database + " set auto_explain.log_buffers = on");
        }
    }

    /** Drops a database this bench created, closing any connection left to it. */
    void drop(String database) throws SQLException {
        try (Connection c = admin()) {
            c.createStatement().execute("drop database if exists " + database + " with (force)");
        }
    }

    /** Version and the settings that bear on ingest, for the report. */
    String describe() throws SQLException {
        try (Connection c = admin(); var rs = c.createStatement().executeQuery(
                "select current_setting('server_version'), current_setting('shared_buffers'), current_setting('synchronous_commit'), "
                        + "current_setting('wal_level'), current_setting('max_wal_size')")) {
            rs.next();
            return "PostgreSQL " + rs.getString(1) + " (shared_buffers " + rs.getString(2) + ", synchronous_commit "
                    + rs.getString(3) + ", wal_level " + rs.getString(4) + ", max_wal_size " + rs.getString(5) + ")";
        }
    }

    /**
     * The backends connected to the database, and the server's WAL writer, checkpointer and
     * background writer, which write out what those backends change.
     */
    List<Long> processes(String database) {
        var pids = new ArrayList<Long>();
        try (Connection c = admin(); var ps = c.prepareStatement("select pid from pg_stat_activity where (datname = ? and pid <> pg_backend_pid()) "
                + "or backend_type in ('walwriter', 'checkpointer', 'background writer')")) {
            ps.setString(1, database);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    pids.add(rs.getLong(1));
                }
            }
        } catch (SQLException e) {
            // no pids: the database's CPU then shows up as other processes'
        }
        return pids;
    }

    private Connection admin() throws SQLException {
        return DriverManager.getConnection(server + "postgres", user, "");
    }
}
