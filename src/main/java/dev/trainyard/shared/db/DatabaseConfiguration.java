package dev.trainyard.shared.db;

import com.zaxxer.hikari.HikariDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.task.ThreadPoolTaskSchedulerCustomizer;
import org.springframework.boot.transaction.autoconfigure.TransactionManagerCustomizers;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.support.TaskUtils;
import org.springframework.transaction.PlatformTransactionManager;

/** How the application rides out a database that closed, went away or filled its disk. */
@Configuration(proxyBeanMethods = false)
class DatabaseConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DatabaseConfiguration.class);

    /** Static: it must exist before the data source it adjusts. */
    @Bean
    static BeanPostProcessor closedDatabaseRecovery() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String name) {
                if (bean instanceof HikariDataSource pool) {
                    pool.setExceptionOverride(new ClosedDatabaseRecovery(pool));
                    enforceH2WritePolicy(pool);
                    readPostgresInBinary(pool);
                }
                return bean;
            }
        };
    }

    private static void enforceH2WritePolicy(HikariDataSource pool) {
        String url = pool.getJdbcUrl();
        if (!H2WritePolicy.applies(url)) {
            return;
        }
        pool.setJdbcUrl(H2WritePolicy.withRetentionDefault(url));
        if (H2WritePolicy.isAlreadyEnforced(url)) {
            return;
        }
        log.warn("spring.datasource.url does not say {}=0; Trainyard sets it, so that a point is on disk before its "
                + "200 goes out (without it, a killed process loses up to half a second of acknowledged points)",
                H2WritePolicy.FLAG);
        pool.setJdbcUrl(H2WritePolicy.enforced(pool.getJdbcUrl()));
    }

    /**
     * PgJDBC reads a statement's rows as text until it has run that statement {@value #PG_PREPARE_THRESHOLD_DEFAULT}
     * times on a connection, so the first read of a long series parsed a million doubles from text. A threshold of
     * -1 prepares on the server and reads binary from the first execution. A URL or property that sets
     * {@code prepareThreshold} (for example 0, behind a transaction-pooling PgBouncer) is left as it is.
     */
    private static void readPostgresInBinary(HikariDataSource pool) {
        String url = pool.getJdbcUrl();
        if (url == null || !url.startsWith("jdbc:postgresql:") || url.contains(PG_PREPARE_THRESHOLD + "=")
                || pool.getDataSourceProperties().containsKey(PG_PREPARE_THRESHOLD)) {
            return;
        }
        pool.addDataSourceProperty(PG_PREPARE_THRESHOLD, "-1");
    }

    private static final String PG_PREPARE_THRESHOLD = "prepareThreshold";
    private static final int PG_PREPARE_THRESHOLD_DEFAULT = 5;

    /** Boot's JPA transaction manager, with {@link ClosedDatabaseRollback}'s exception. */
    @Bean
    PlatformTransactionManager transactionManager(ObjectProvider<TransactionManagerCustomizers> customizers) {
        var transactions = new ClosedDatabaseRollback();
        customizers.ifAvailable(customizer -> customizer.customize(transactions));
        return transactions;
    }

    /** A scheduled task that finds the database out of reach says so in a line, not a stack trace; it runs again next time. */
    @Bean
    ThreadPoolTaskSchedulerCustomizer quietAboutDatabaseOutages() {
        return scheduler -> scheduler.setErrorHandler(e -> {
            if (Database.isUnreachable(e)) {
                log.warn("A scheduled task could not reach the database; it runs again on its next turn: {}", e.getMessage());
            } else {
                TaskUtils.LOG_AND_SUPPRESS_ERROR_HANDLER.handleError(e);
            }
        });
    }
}
