package dev.trainyard.shared.db;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;

import javax.sql.DataSource;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.stereotype.Component;

/** Which database this process talks to, for the few decisions that depend on it. */
@Component
public class Database {

    private static final String HIKARI_CLOSED_CONNECTION = "Connection is closed";

    private final boolean postgres;

    Database(DataSource dataSource) {
        try {
            String product = JdbcUtils.extractDatabaseMetaData(dataSource, meta -> meta.getDatabaseProductName());
            this.postgres = product.toLowerCase().contains("postgres");
        } catch (Exception e) {
            throw new IllegalStateException("Cannot tell which database this is", e);
        }
    }

    public boolean isPostgres() {
        return postgres;
    }

    /** Embedded H2 in file mode admits one process at a time. */
    public boolean isEmbedded() {
        return !postgres;
    }

    /**
     * Whether {@code e} comes from the database being out of reach (down, restarting, connection
     * dropped, no connection to be had in time) rather than from what was asked of it. Spring
     * wraps such failures in many types (a rollback on a dropped connection is a JpaSystemException),
     * so the cause chain is what tells.
     */
    public static boolean isUnreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CannotCreateTransactionException || t instanceof DataAccessResourceFailureException
                    || t instanceof SQLTransientConnectionException || t instanceof SQLRecoverableException
                    || t instanceof SQLException sql && isConnectionFailure(sql)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isConnectionFailure(SQLException e) {
        // SQLSTATE class 08 is "connection exception". Once a connection failed so, Hikari swaps it for
        // a stand-in that answers every later call, such as the rollback, with this state-less exception.
        return e.getSQLState() != null ? e.getSQLState().startsWith("08") : HIKARI_CLOSED_CONNECTION.equals(e.getMessage());
    }
}
