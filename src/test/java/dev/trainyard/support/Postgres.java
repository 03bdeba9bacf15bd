package dev.trainyard.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Assumptions;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A fresh PostgreSQL database per test class on the local server (127.0.0.1:5432, trust auth, as
 * on the development and CI machines). Without a reachable server the tests are skipped with a
 * message, unless {@code TRAINYARD_REQUIRE_POSTGRES=1} (set by .ci/run) makes that a failure.
 */
public final class Postgres {

    private static final String SERVER = System.getenv().getOrDefault("TRAINYARD_TEST_POSTGRES", "jdbc:postgresql://127.0.0.1:5432/");
    private static final String USER = System.getenv().getOrDefault("TRAINYARD_TEST_POSTGRES_USER", "postgres");

    private Postgres() {
    }

    /** Skips the calling test class (or fails it, when PostgreSQL is required) without a server. */
    public static void assumeAvailable() {
        try (Connection admin = DriverManager.getConnection(SERVER + "postgres", USER, "")) {
            admin.isValid(2);
        } catch (SQLException e) {
            if ("1".equals(System.getenv("TRAINYARD_REQUIRE_POSTGRES"))) {
                throw new IllegalStateException("PostgreSQL is required (TRAINYARD_REQUIRE_POSTGRES=1) but " + SERVER
                        + " is not reachable: " + e.getMessage(), e);
            }
            Assumptions.abort("No PostgreSQL at " + SERVER + " (" + e.getMessage() + "); skipping the PostgreSQL tests. "
                    + "Set TRAINYARD_REQUIRE_POSTGRES=1 to make them mandatory.");
        }
    }

    /** Creates a database and points the Spring context's data source at it. */
    public static String register(DynamicPropertyRegistry registry) {
        return register(registry, UnaryOperator.identity());
    }

    /** Creates a database and points the Spring context's data source at {@code through} its URL (a proxy's, say). */
    public static String register(DynamicPropertyRegistry registry, UnaryOperator<String> through) {
        String url = createDatabase();
        registry.add("spring.datasource.url", () -> through.apply(url));
        registry.add("spring.datasource.username", () -> USER);
        registry.add("spring.datasource.password", () -> "");
        return url;
    }

    /** The command-line settings that point a node (in this JVM or a child one) at {@code url}. */
    public static List<String> datasourceArgs(String url) {
        return List.of("--spring.datasource.url=" + url, "--spring.datasource.username=" + USER, "--spring.datasource.password=");
    }

    /** One connection to a test database, for a test's own queries; {@code destroy()} closes it. */
    public static SingleConnectionDataSource connect(String url) {
        return new SingleConnectionDataSource(url, USER, "", true);
    }

    public static String createDatabase() {
        String name = "trainyard_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
        try (Connection admin = DriverManager.getConnection(SERVER + "postgres", USER, "")) {
            admin.createStatement().execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create a test database on " + SERVER + ": " + e.getMessage(), e);
        }
        return SERVER + name;
    }
}
