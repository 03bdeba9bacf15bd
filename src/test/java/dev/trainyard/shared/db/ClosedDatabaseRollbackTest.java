package dev.trainyard.shared.db;

import dev.trainyard.shared.db.ClosedDatabaseRecovery;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.time.OffsetDateTime;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * H2 closes its database when a write fails; a transaction open at that moment must fail with its
 * own exception (the full disk), not with the rollback that the closed database refuses.
 */
@SpringBootTest(properties = "trainyard.workers.count=0")
@DirtiesContext // the database is shut down
class ClosedDatabaseRollbackTest {

    @Autowired
    PlatformTransactionManager transactions;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aTransactionWhoseDatabaseClosedUnderItFailsWithItsOwnException() {
        var fullDisk = new IllegalStateException("Writing to the file failed: No space left on device");

        assertThatThrownBy(() -> new TransactionTemplate(transactions).executeWithoutResult(tx -> {
            jdbc.update("insert into project (id, slug, name, created_at) values ('p1', 'p1', 'p1', ?)", OffsetDateTime.now());
            jdbc.execute("shutdown immediately"); // as H2 does itself after a failed write
            throw fullDisk;
        })).isSameAs(fullDisk);
    }

    @Test
    void onlyAClosedDatabaseCountsAsClosed() {
        assertThat(ClosedDatabaseRecovery.saysClosed(new RuntimeException(new SQLException("connection lost", "08006")))).isFalse();
        assertThat(ClosedDatabaseRecovery.saysClosed(new RuntimeException(new SQLException("The database has been closed", "90098", 90098))))
                .isTrue();
    }
}
