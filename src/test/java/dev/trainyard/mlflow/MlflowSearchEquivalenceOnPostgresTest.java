package dev.trainyard.mlflow;

import dev.trainyard.support.Postgres;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link MlflowSearchEquivalenceTest} on a real PostgreSQL server, where texts sort by collation unless told otherwise. */
class MlflowSearchEquivalenceOnPostgresTest extends MlflowSearchEquivalenceTest {

    @BeforeAll
    static void postgresAvailable() {
        Postgres.assumeAvailable();
    }

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        Postgres.register(registry);
    }
}
