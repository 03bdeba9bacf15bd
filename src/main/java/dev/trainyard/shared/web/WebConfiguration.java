package dev.trainyard.shared.web;

import dev.trainyard.shared.TrainyardProperties;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import tools.jackson.databind.json.JsonMapper;

/** The servlet filters every request passes before any controller, and Tomcat's own settings. */
@Configuration(proxyBeanMethods = false)
class WebConfiguration {

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
        // MLflow's artifact uploads are streamed to disk under a limit of their own (trainyard.artifacts.max-file-size).
        var registration = new FilterRegistrationBean<>(new BodySizeLimitFilter(properties.maxBodySize().toBytes(), json,
                "/api/2.0/mlflow-artifacts/"));
        registration.addUrlPatterns("/api/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }
}
