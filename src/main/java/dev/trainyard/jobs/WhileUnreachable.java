package dev.trainyard.jobs;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import dev.trainyard.shared.db.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writes a worker cannot do without (a job's last epochs, its end). While the database is out
 * of reach the worker waits and retries them, rather than failing the job or dropping its epochs
 * for an outage that is not the job's fault.
 */
final class WhileUnreachable {

    private static final Logger log = LoggerFactory.getLogger(WhileUnreachable.class);
    private static final Duration PAUSE = Duration.ofSeconds(1);

    private WhileUnreachable() {
    }

    /**
     * Runs {@code write} until it succeeds. Any other failure is thrown at once, and so is the
     * outage once {@code giveUp} says so (a shutdown: the job's lease then brings it back).
     */
    static void retry(String what, Runnable write, BooleanSupplier giveUp) {
        for (int attempt = 1; ; attempt++) {
            try {
                write.run();
                if (attempt > 1) {
                    log.info("Stored {} now that the database is back ({} attempts)", what, attempt);
                }
                return;
            } catch (RuntimeException e) {
                if (!Database.isUnreachable(e) || giveUp.getAsBoolean()) {
                    throw e;
                }
                if (attempt == 1) {
                    log.warn("The database is out of reach; retrying {} until it is back: {}", what, e.getMessage());
                }
                try {
                    Thread.sleep(PAUSE.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
