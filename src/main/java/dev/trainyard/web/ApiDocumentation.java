package dev.trainyard.web;

import io.swagger.v3.oas.models.info.Info;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The title and summary that Swagger UI and generated clients show, instead of springdoc's "OpenAPI definition v0". */
@Configuration(proxyBeanMethods = false)
class ApiDocumentation {

    @Bean
    OpenApiCustomizer apiInfo() {
        return api -> api.info(new Info().title("Trainyard API").version("v1")
                .description("Runs, metrics, live events, training jobs, sweeps and datasets. "
                        + "The MLflow-compatible API under /api/2.0/mlflow is described by MLflow's own documentation."));
    }
}
