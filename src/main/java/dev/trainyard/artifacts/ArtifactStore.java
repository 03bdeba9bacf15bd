package dev.trainyard.artifacts;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

import org.springframework.core.io.Resource;

/**
 * Where runs' files are kept, by run id and a relative path that {@link ArtifactPath} has checked.
 * Small on purpose: put, get, list one folder, drop a run; an object store can do all four.
 */
public interface ArtifactStore {

    /**
     * Stores {@code in} at the path, replacing what was there, reading it in pieces. Past
     * {@code maxBytes} it stops, keeps nothing, and throws {@link ArtifactTooLargeException}.
     *
     * @return the bytes stored
     */
    long put(String runId, ArtifactPath path, InputStream in, long maxBytes) throws IOException;

    /** The file at the path; empty for a folder or nothing. */
    Optional<Resource> get(String runId, ArtifactPath path) throws IOException;

    /** What a folder (the run's top for {@link ArtifactPath#ROOT}) holds, by name; empty when it holds nothing. */
    List<ArtifactEntry> list(String runId, ArtifactPath folder) throws IOException;

    /** Removes every file of the run. */
    void deleteRun(String runId) throws IOException;

    /** A file or folder: its path from the run's top, and a file's size in bytes. */
    record ArtifactEntry(String path, boolean directory, long size) {

        public String name() {
            return path.substring(path.lastIndexOf('/') + 1);
        }

        /** The path with each segment percent-encoded, to put after a URL's {@code /artifacts/}. */
        public String urlPath() {
            var encoded = new java.util.StringJoiner("/");
            for (String segment : path.split("/")) {
                encoded.add(org.springframework.web.util.UriUtils.encodePathSegment(segment, java.nio.charset.StandardCharsets.UTF_8));
            }
            return encoded.toString();
        }
    }
}
