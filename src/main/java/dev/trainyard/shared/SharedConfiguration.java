package dev.trainyard.shared;

import java.time.Clock;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
class SharedConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
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
}
