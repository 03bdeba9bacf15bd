package dev.trainyard.shared;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Top-level settings.
 *
 * @param dataDir     where the embedded database, trained models and uploads live
 * @param maxBodySize the largest request body the API accepts; larger gets a 413
 * @param role        {@code all} (one process does everything), {@code web} (API and dashboard, no
 *                    training) or {@code worker} (trains, and serves only health)
 */
@ConfigurationProperties("trainyard")
public record TrainyardProperties(Path dataDir, DataSize maxBodySize, NodeRole role) {

    public TrainyardProperties {
        role = role == null ? NodeRole.ALL : role;
        dataDir = dataDir == null ? Path.of("data") : dataDir;
        maxBodySize = maxBodySize == null ? DataSize.ofMegabytes(32) : maxBodySize;
    }

    public Path modelsDir() {
        return dataDir.resolve("models");
    }
}
