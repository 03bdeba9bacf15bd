package dev.trainyard.jobs;

import dev.trainyard.support.Postgres;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link QueuePlaceApiTest}'s scenarios on a real PostgreSQL server, where the place is counted by the same query. */
class QueuePlaceApiOnPostgresTest extends QueuePlaceApiTest {

    @BeforeAll
    static void postgresAvailable() {
        Postgres.assumeAvailable();
    }

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        Postgres.register(registry);
    }
}
