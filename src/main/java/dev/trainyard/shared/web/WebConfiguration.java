package dev.trainyard.shared.web;

import dev.trainyard.shared.TrainyardProperties;
import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.core.StandardHost;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.boot.tomcat.TomcatContextCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/** The servlet filters every request passes before any controller, and Tomcat's own settings. */
@Configuration(proxyBeanMethods = false)
class WebConfiguration {

    /** An encoded slash in an id reaches the application (a 404 problem) instead of Tomcat's HTML 400. */
    @Bean
    TomcatConnectorCustomizer encodedSlashesPassThrough() {
        return connector -> connector.setEncodedSolidusHandling("passthrough");
    }

    /** Tomcat's own answers (a NUL in the path, a header too large) as problem+json rather than its HTML page. */
    @Bean
    TomcatContextCustomizer problemErrorReports() {
        return context -> {
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
            }
        };
    }

    /**
     * On every answer, set before anything is written, so that downloads and streamed bodies carry
     * it too: browsers must not guess a type other than the one sent.
     */
    @Bean
    FilterRegistrationBean<OncePerRequestFilter> noSniffing() {
        var registration = new FilterRegistrationBean<OncePerRequestFilter>(new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                response.setHeader("X-Content-Type-Options", "nosniff");
                chain.doFilter(request, response);
            }
        });
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
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

    /**
     * Form parameters read before Spring Security reads them (the sign-in form, CSRF tokens), so that
     * a form Tomcat cannot read is a 413 or 400 problem rather than an exception logged as an ERROR.
     */
    @Bean
    FilterRegistrationBean<OncePerRequestFilter> formsReadable(JsonMapper json) {
        var registration = new FilterRegistrationBean<OncePerRequestFilter>(new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                String type = request.getContentType();
                if (type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")
                        && StrictTextFilter.parametersOrRefusal(request, response, json) == null) {
                    return;
                }
                chain.doFilter(request, response);
            }
        });
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
        return registration;
    }

    /** Just after Spring Security's chain (at -100), so that only callers who may write get their bodies read here. */
    @Bean
    FilterRegistrationBean<StrictTextFilter> strictTextFilter(JsonMapper json) {
        var registration = new FilterRegistrationBean<>(new StrictTextFilter(json));
        registration.setOrder(-90);
        return registration;
    }
}
