package dev.trainyard.shared.db;

import java.sql.SQLException;

import javax.sql.DataSource;

import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps the embedded H2 file within a small multiple of its live data while scripts log.
 *
 * <p>Every commit writes a new MVStore chunk, and a chunk is reused only once none of its pages is
 * live. Under one commit per logged point nearly every chunk keeps a page or two alive, and H2 2.x
 * compacts only at shutdown (with {@code WRITE_DELAY=0} no background writer runs at all), so the
 * file grew by about 15 KB per commit: 3 GB in a minute of 8 clients. Rewriting the live pages out
 * of sparse chunks each second frees them for reuse. Measured in docs/BENCHMARKS.md.
 *
 * <p>This reaches into H2's engine ({@link SessionLocal}), which only an embedded database has; a
 * server-mode H2 or PostgreSQL is left alone.
 */
@Component
class H2StoreMaintenance {

    /** Chunks less full than this (percent) are rewritten; H2's own background default is 90, too eager here. */
    static final int TARGET_FILL_RATE = 50;
    /** At most this many bytes rewritten per turn, so a turn stays in the milliseconds. */
    static final int WRITE_LIMIT = 4 << 20;

    private final DataSource dataSource;
    private volatile boolean embeddedH2 = true;

    H2StoreMaintenance(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Scheduled(fixedDelayString = "${trainyard.h2.compact-interval:1s}", initialDelayString = "${trainyard.h2.compact-interval:1s}")
    void compact() throws SQLException {
        if (!embeddedH2) {
            return;
        }
        try (var connection = dataSource.getConnection()) {
            MVStore store = storeOf(connection);
            if (store == null) {
                embeddedH2 = false;
                return;
            }
            if (!store.isClosed()) {
                store.compact(TARGET_FILL_RATE, WRITE_LIMIT);
            }
        }
    }

    /** The MVStore behind an embedded H2 connection, or null for any other database. */
    static MVStore storeOf(java.sql.Connection connection) throws SQLException {
        if (!connection.isWrapperFor(JdbcConnection.class)
                || !(connection.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal session)) {
            return null;
        }
        var store = session.getDatabase().getStore();
        if (store == null || store.getMvStore().getFileStore() == null) {
            return null; // in memory: nothing on disk to bound
        }
        return store.getMvStore();
    }
}
