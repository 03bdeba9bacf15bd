package dev.trainyard.shared.db;

import java.sql.SQLException;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.SQLExceptionOverride;

/**
 * Lets an embedded H2 database that closed itself come back without a restart. H2 closes the
 * database when a write fails (a full disk), and says so on every later call with its own error
 * code, not a connection SQLSTATE, so Hikari would keep handing out the dead connections. On that
 * code the pool retires all of its connections softly: idle ones now, the ones in use when they
 * are handed back, so a transaction still rolls back and reports the cause. New connections open
 * the database file again, which works once there is space.
 */
class ClosedDatabaseRecovery implements SQLExceptionOverride {

    /** H2's DATABASE_IS_CLOSED and DATABASE_CALLED_AT_SHUTDOWN. */
    private static final int H2_CLOSED = 90098;
    private static final int H2_CLOSING = 90121;

    private final HikariDataSource pool;

    ClosedDatabaseRecovery(HikariDataSource pool) {
        this.pool = pool;
    }

    /** Whether {@code e} is, or was caused by, H2 saying its database has closed. */
    static boolean saysClosed(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && (sql.getErrorCode() == H2_CLOSED || sql.getErrorCode() == H2_CLOSING)) {
                return true;
            }
        }
        return false;
    }

    @java.lang.Override // the interface has a nested type of the same name
    public Override adjudicate(SQLException e) {
        if (!saysClosed(e)) {
            return Override.CONTINUE_EVICT;
        }
        HikariPoolMXBean connections = pool.getHikariPoolMXBean();
        if (connections != null) {
            connections.softEvictConnections();
        }
        return Override.DO_NOT_EVICT;
    }
}
