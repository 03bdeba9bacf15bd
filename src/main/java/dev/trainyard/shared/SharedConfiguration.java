package dev.trainyard.shared;

import java.time.Clock;

import com.zaxxer.hikari.HikariDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.task.ThreadPoolTaskSchedulerCustomizer;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.boot.transaction.autoconfigure.TransactionManagerCustomizers;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.scheduling.support.TaskUtils;
import org.springframework.transaction.PlatformTransactionManager;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

@Configuration(proxyBeanMethods = false)
class SharedConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SharedConfiguration.class);

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** Static: it must exist before the data source it adjusts. */
    @Bean
    static BeanPostProcessor closedDatabaseRecovery() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String name) {
                if (bean instanceof HikariDataSource pool) {
                    pool.setExceptionOverride(new ClosedDatabaseRecovery(pool));
                }
                return bean;
            }
        };
    }

    /** Boot's JPA transaction manager, with {@link ClosedDatabaseRollback}'s exception. */
    @Bean
    PlatformTransactionManager transactionManager(ObjectProvider<TransactionManagerCustomizers> customizers) {
        var transactions = new ClosedDatabaseRollback();
        customizers.ifAvailable(customizer -> customizer.customize(transactions));
        return transactions;
    }

    /**
     * JSON means what it says: 1.5 is no integer, 7 is no string. Jackson would otherwise truncate
     * the one and quote the other, storing something the client never sent.
     */
    @Bean
    JsonMapperBuilderCustomizer strictJsonTypes() {
        return builder -> builder
                .withCoercionConfig(LogicalType.Textual, config -> config
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Integer, config -> config
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail));
    }

    /** An encoded slash in an id reaches the application (a 404 problem) instead of Tomcat's HTML 400. */
    @Bean
    TomcatConnectorCustomizer encodedSlashesPassThrough() {
        return connector -> connector.setEncodedSolidusHandling("passthrough");
    }

    @Bean
    FilterRegistrationBean<WorkerOnlyFilter> workerOnlyFilter(TrainyardProperties properties, JsonMapper json) {
        var registration = new FilterRegistrationBean<>(new WorkerOnlyFilter(json));
        registration.setEnabled(!properties.role().serves());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    @Bean
    FilterRegistrationBean<BodySizeLimitFilter> bodySizeLimitFilter(TrainyardProperties properties, JsonMapper json) {
        var registration = new FilterRegistrationBean<>(new BodySizeLimitFilter(properties.maxBodySize().toBytes(), json));
        registration.addUrlPatterns("/api/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
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
