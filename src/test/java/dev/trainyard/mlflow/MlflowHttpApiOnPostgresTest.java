package dev.trainyard.mlflow;

import dev.trainyard.support.Postgres;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link MlflowHttpApiTest}'s scenarios on a real PostgreSQL server. */
class MlflowHttpApiOnPostgresTest extends MlflowHttpApiTest {

    @BeforeAll
    static void postgresAvailable() {
        Postgres.assumeAvailable();
    }

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        Postgres.register(registry);
    }
}
