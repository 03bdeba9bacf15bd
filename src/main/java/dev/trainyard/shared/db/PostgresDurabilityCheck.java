package dev.trainyard.shared.db;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * A 200 means committed, and on PostgreSQL that holds only while the server flushes its commits.
 * Its settings are the server's, not ours to change, so start-up says when they weaken that.
 */
@Component
class PostgresDurabilityCheck {

    private static final Logger log = LoggerFactory.getLogger(PostgresDurabilityCheck.class);

    private final Database database;
    private final JdbcTemplate jdbc;

    PostgresDurabilityCheck(Database database, JdbcTemplate jdbc) {
        this.database = database;
        this.jdbc = jdbc;
    }

    @EventListener(ApplicationReadyEvent.class)
    void warnWhenCommitsMayBeLost() {
        if (!database.isPostgres()) {
            return;
        }
        try {
            for (String setting : new String[] {"fsync", "synchronous_commit"}) {
                String value = jdbc.queryForObject("show " + setting, String.class);
                if ("off".equalsIgnoreCase(value)) {
                    log.warn("PostgreSQL has {} = off: points acknowledged just before a crash of the database server "
                            + "can be lost. Set it to on for the durability Trainyard promises.", setting);
                }
            }
        } catch (RuntimeException unreachable) {
            log.warn("Could not read PostgreSQL's durability settings: {}", unreachable.getMessage());
        }
    }
}
