package dev.trainyard.shared.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.support.Postgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** A PostgreSQL that acknowledges commits before flushing them is named at start-up. */
@SpringBootTest(properties = "spring.datasource.hikari.connection-init-sql=set synchronous_commit = off")
@ExtendWith(OutputCaptureExtension.class)
class PostgresDurabilityCheckOnPostgresTest {

    @BeforeAll
    static void postgresAvailable() {
        Postgres.assumeAvailable();
    }

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        Postgres.register(registry);
    }

    @Autowired
    PostgresDurabilityCheck check;

    @Test
    void synchronousCommitOffIsAWarning(CapturedOutput output) {
        check.warnWhenCommitsMayBeLost();
        assertThat(output).contains("PostgreSQL has synchronous_commit = off").doesNotContain("fsync = off");
    }
}
