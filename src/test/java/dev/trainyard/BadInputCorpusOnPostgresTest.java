package dev.trainyard;

import dev.trainyard.support.Postgres;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link BadInputCorpusTest} on PostgreSQL, which refuses some text H2 stores (NUL) and mangles other (lone surrogates). */
class BadInputCorpusOnPostgresTest extends BadInputCorpusTest {

    @BeforeAll
    static void postgresAvailable() {
        Postgres.assumeAvailable();
    }

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        Postgres.register(registry);
    }
}
