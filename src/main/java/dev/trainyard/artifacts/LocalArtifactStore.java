package dev.trainyard.artifacts;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import dev.trainyard.shared.TrainyardProperties;
import dev.trainyard.shared.web.BadRequestException;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.stereotype.Component;

/** Artifacts as files under {@code <data-dir>/artifacts/<run id>/}. */
@Component
class LocalArtifactStore implements ArtifactStore {

    /** An upload in progress: written beside its target and moved into place when complete. */
    private static final String PARTIAL = ".partial-";

    private final Path root;

    LocalArtifactStore(TrainyardProperties properties) {
        this.root = properties.dataDir().resolve("artifacts").toAbsolutePath().normalize();
    }

    @Override
    public long put(String runId, ArtifactPath path, InputStream in, long maxBytes) throws IOException {
        if (path.isRoot()) {
            throw new BadRequestException("path", "an upload needs a file name");
        }
        if (path.segments().get(path.segments().size() - 1).startsWith(PARTIAL)) {
            throw new BadRequestException("path", "names starting with " + PARTIAL + " are reserved");
        }
        Path target = resolve(runId, path);
        Path partial;
        try {
            Files.createDirectories(target.getParent());
            partial = Files.createTempFile(target.getParent(), PARTIAL, "");
        } catch (FileAlreadyExistsException | NotDirectoryException e) {
            throw new BadRequestException("path", "'" + path + "' is below a file, not a folder");
        }
        try {
            long total = 0;
            try (OutputStream out = Files.newOutputStream(partial)) {
                byte[] buffer = new byte[64 * 1024];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    total += n;
                    if (total > maxBytes) {
                        throw new ArtifactTooLargeException(maxBytes);
                    }
                    out.write(buffer, 0, n);
                }
            }
            if (Files.isDirectory(target)) {
                throw new BadRequestException("path", "'" + path + "' is a folder");
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return total;
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    @Override
    public Optional<Resource> get(String runId, ArtifactPath path) {
        Path file = resolve(runId, path);
        return Files.isRegularFile(file) ? Optional.of(new FileSystemResource(file)) : Optional.empty();
    }

    @Override
    public List<ArtifactEntry> list(String runId, ArtifactPath folder) throws IOException {
        Path dir = resolve(runId, folder);
        var entries = new ArrayList<ArtifactEntry>();
        if (!Files.isDirectory(dir)) {
            return entries;
        }
        try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
            for (Path child : children) {
                String name = child.getFileName().toString();
                if (name.startsWith(PARTIAL)) {
                    continue;
                }
                String path = folder.child(name).toString();
                try {
                    boolean directory = Files.isDirectory(child);
                    entries.add(new ArtifactEntry(path, directory, directory ? 0 : Files.size(child)));
                } catch (NoSuchFileException gone) {
                    // replaced or deleted while listing
                }
            }
        }
        entries.sort(Comparator.comparing(ArtifactEntry::path));
        return entries;
    }

    @Override
    public void deleteRun(String runId) throws IOException {
        Path dir = runDir(runId);
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private Path runDir(String runId) {
        if (runId == null || !runId.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new BadRequestException("run", "invalid run id");
        }
        return root.resolve(runId);
    }

    private Path resolve(String runId, ArtifactPath path) {
        Path dir = runDir(runId);
        Path resolved = dir;
        for (String segment : path.segments()) {
            resolved = resolved.resolve(segment);
        }
        resolved = resolved.normalize();
        // ArtifactPath already refuses what could climb out; this holds even if it did not.
        if (!resolved.startsWith(dir)) {
            throw new BadRequestException("path", "invalid artifact path '" + path + "'");
        }
        return resolved;
    }
}
