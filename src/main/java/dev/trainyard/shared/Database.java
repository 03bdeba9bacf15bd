package dev.trainyard.shared;

import javax.sql.DataSource;

import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.stereotype.Component;

/** Which database this process talks to, for the few decisions that depend on it. */
@Component
public class Database {

    private final boolean postgres;

    Database(DataSource dataSource) {
        try {
            String product = JdbcUtils.extractDatabaseMetaData(dataSource, meta -> meta.getDatabaseProductName());
            this.postgres = product.toLowerCase().contains("postgres");
        } catch (Exception e) {
            throw new IllegalStateException("Cannot tell which database this is", e);
        }
    }

    public boolean isPostgres() {
        return postgres;
    }

    /** Embedded H2 in file mode admits one process at a time. */
    public boolean isEmbedded() {
        return !postgres;
    }
}
