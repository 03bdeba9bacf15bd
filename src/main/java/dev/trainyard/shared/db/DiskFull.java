package dev.trainyard.shared.db;

import java.sql.SQLException;
import java.util.List;

/**
 * Tells a failure that comes from a full disk (under the data directory, or the database's), which
 * no retry fixes until someone frees space, from the rest: the API answers it with a 507.
 */
public final class DiskFull {

    /** What Linux (ENOSPC, EDQUOT) and Windows say; Java passes the system's words on. */
    private static final List<String> REASONS = List.of("No space left on device", "Disk quota exceeded",
            "There is not enough space on the disk");
    /** PostgreSQL's SQLSTATE disk_full. */
    private static final String POSTGRES_DISK_FULL = "53100";
    private static final int MAX_CAUSES = 32;

    private DiskFull() {
    }

    /** The system's words for the full disk behind {@code e}, or null when a full disk is not the cause. */
    public static String reason(Throwable e) {
        int depth = 0;
        for (Throwable t = e; t != null && depth++ < MAX_CAUSES; t = t.getCause()) {
            if (t instanceof SQLException sql && POSTGRES_DISK_FULL.equals(sql.getSQLState())) {
                return "the database's disk is full";
            }
            String message = t.getMessage();
            if (message != null) {
                for (String reason : REASONS) {
                    if (message.contains(reason)) {
                        return reason;
                    }
                }
            }
        }
        return null;
    }
}
