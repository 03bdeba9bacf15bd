package dev.trainyard.artifacts;

/** An upload past {@code trainyard.artifacts.max-file-size}; nothing of it was kept. */
public class ArtifactTooLargeException extends RuntimeException {

    public ArtifactTooLargeException(long maxBytes) {
        super("the artifact exceeds the limit of " + maxBytes + " bytes (trainyard.artifacts.max-file-size)");
    }
}
