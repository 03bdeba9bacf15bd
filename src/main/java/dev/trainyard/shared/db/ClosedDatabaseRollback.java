package dev.trainyard.shared.db;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;

/**
 * Spring's JPA transactions, except that a rollback H2 refuses because its database has closed
 * itself is not an error. H2 closes the database when a write fails (a full disk), and then
 * answers the rollback of every transaction still open with "database has been closed". Nothing
 * of such a transaction was committed, so there is nothing to roll back; reported, that failure
 * would replace the transaction's own exception (the full disk, a 507) with a vaguer one (a 503).
 */
class ClosedDatabaseRollback extends JpaTransactionManager {

    private static final Logger log = LoggerFactory.getLogger(ClosedDatabaseRollback.class);

    @Override
    protected void doRollback(DefaultTransactionStatus status) {
        try {
            super.doRollback(status);
        } catch (RuntimeException e) {
            if (!ClosedDatabaseRecovery.saysClosed(e)) {
                throw e;
            }
            log.debug("Nothing to roll back, the database has closed: {}", e.getMessage());
        }
    }
}
