package dev.trainyard.accounts;

import dev.trainyard.support.Postgres;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link TeamModeTest}'s scenarios on a real PostgreSQL server, as a team runs it. */
class TeamModeOnPostgresTest extends TeamModeTest {

    @BeforeAll
    static void postgresAvailable() {
        Postgres.assumeAvailable();
    }

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        Postgres.register(registry);
    }
}
