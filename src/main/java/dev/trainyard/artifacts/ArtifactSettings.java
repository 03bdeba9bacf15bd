package dev.trainyard.artifacts;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * @param maxFileSize the largest file one upload may store; larger is a 413 and keeps nothing.
 *                    Uploads are streamed to disk, so this bounds disk use, not memory.
 */
@ConfigurationProperties("trainyard.artifacts")
public record ArtifactSettings(DataSize maxFileSize) {

    public ArtifactSettings {
        maxFileSize = maxFileSize == null ? DataSize.ofGigabytes(1) : maxFileSize;
    }
}
