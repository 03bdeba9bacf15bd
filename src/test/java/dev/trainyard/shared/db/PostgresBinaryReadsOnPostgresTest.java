package dev.trainyard.shared.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.Properties;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.trainyard.support.Postgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.jdbc.PgConnection;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The pool's PostgreSQL connections read rows in binary from a statement's first execution. */
@SpringBootTest
class PostgresBinaryReadsOnPostgresTest {

    @BeforeAll
    static void postgresAvailable() {
        Postgres.assumeAvailable();
    }

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        Postgres.register(registry);
    }

    @Autowired
    DataSource dataSource;

    @Test
    void aConnectionPreparesOnTheServerAndReadsBinaryAtOnce() throws SQLException {
        try (var connection = dataSource.getConnection()) {
            PgConnection pg = connection.unwrap(PgConnection.class);
            assertThat(pg.getPrepareThreshold()).isEqualTo(-1);
            assertThat(pg.getForceBinary()).isTrue();
        }
    }

    @Test
    void aThresholdTheUserSetIsKeptAndOtherDatabasesAreLeftAlone() {
        assertThat(adjusted("jdbc:postgresql://db/trainyard?prepareThreshold=0", new Properties())).doesNotContainKey("prepareThreshold");
        var own = new Properties();
        own.setProperty("prepareThreshold", "0");
        assertThat(adjusted("jdbc:postgresql://db/trainyard", own)).containsEntry("prepareThreshold", "0");
        assertThat(adjusted("jdbc:h2:mem:x", new Properties())).doesNotContainKey("prepareThreshold");
        assertThat(adjusted("jdbc:postgresql://db/trainyard", new Properties())).containsEntry("prepareThreshold", "-1");
    }

    private static Properties adjusted(String url, Properties properties) {
        try (var pool = new HikariDataSource()) {
            pool.setJdbcUrl(url);
            pool.setDataSourceProperties(properties);
            DatabaseConfiguration.closedDatabaseRecovery().postProcessBeforeInitialization(pool, "dataSource");
            return pool.getDataSourceProperties();
        }
    }
}
