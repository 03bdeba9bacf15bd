package dev.trainyard.jobs;

import dev.trainyard.support.Postgres;
import org.junit.jupiter.api.BeforeAll;

/** {@link JobConfigMigrationTest} on a real PostgreSQL server. */
class JobConfigMigrationOnPostgresTest extends JobConfigMigrationTest {

    @BeforeAll
    static void postgresAvailable() {
        Postgres.assumeAvailable();
    }

    @Override
    Database database() {
        String url = Postgres.createDatabase();
        return new Database(url, System.getenv().getOrDefault("TRAINYARD_TEST_POSTGRES_USER", "postgres"), Postgres.datasourceArgs(url));
    }
}
