package dev.trainyard.artifacts;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.trainyard.artifacts.ArtifactStore.ArtifactEntry;
import dev.trainyard.jobs.TrainedModels;
import dev.trainyard.shared.web.BadRequestException;
import dev.trainyard.shared.web.ConflictException;
import dev.trainyard.shared.web.NotFoundException;
import dev.trainyard.tracking.Run;
import dev.trainyard.tracking.RunKind;
import dev.trainyard.tracking.RunManagement;
import dev.trainyard.tracking.RunStopped;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.stereotype.Service;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * A run's artifacts: what was uploaded to the store, and, for a job, its trained model at
 * {@link #MODEL}. The model stays where the job wrote it (and {@code GET /runs/{id}/model} serves
 * it); here it is one more file of the run, read-only.
 */
@Service
public class RunArtifacts {

    /** Where a job's trained model shows among its artifacts. */
    public static final String MODEL = "model/trainyard.model";

    private static final Logger log = LoggerFactory.getLogger(RunArtifacts.class);
    private static final ArtifactPath MODEL_PATH = ArtifactPath.of(MODEL);
    private static final ArtifactPath MODEL_DIR = ArtifactPath.of("model");

    private final ArtifactStore store;
    private final RunManagement runs;
    private final TrainedModels models;
    private final ArtifactSettings settings;

    RunArtifacts(ArtifactStore store, RunManagement runs, TrainedModels models, ArtifactSettings settings) {
        this.store = store;
        this.runs = runs;
        this.models = models;
        this.settings = settings;
    }

    /** The most one upload may store. */
    public long maxFileSize() {
        return settings.maxFileSize().toBytes();
    }

    /** Stores an upload, streamed; {@code declaredLength} (-1 if unknown) lets a too-large one be refused before reading. */
    public long put(String runId, ArtifactPath path, InputStream in, long declaredLength) {
        runs.get(runId);
        if (path.equals(MODEL_PATH)) {
            throw new BadRequestException("path", MODEL + " is the job's trained model; it cannot be replaced");
        }
        if (declaredLength > maxFileSize()) {
            throw new ArtifactTooLargeException(maxFileSize());
        }
        try {
            return store.put(runId, path, in, maxFileSize());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file at the path; a 404 when there is none. */
    public Resource get(String runId, ArtifactPath path) {
        Run run = runs.get(runId);
        if (path.equals(MODEL_PATH)) {
            return model(run).<Resource>map(FileSystemResource::new)
                    .orElseThrow(() -> new NotFoundException("artifact", runId + "/" + path));
        }
        try {
            return store.get(runId, path).orElseThrow(() -> new NotFoundException("artifact", runId + "/" + path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One folder's entries, by path. */
    public List<ArtifactEntry> list(String runId, ArtifactPath folder) {
        Run run = runs.get(runId);
        List<ArtifactEntry> entries;
        try {
            entries = new ArrayList<>(store.list(runId, folder));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Optional<Path> model = model(run);
        if (model.isPresent()) {
            if (folder.isRoot() && entries.stream().noneMatch(e -> e.path().equals("model"))) {
                entries.add(new ArtifactEntry("model", true, 0));
            } else if (folder.equals(MODEL_DIR)) {
                entries.removeIf(e -> e.path().equals(MODEL));
                entries.add(new ArtifactEntry(MODEL, false, model.get().toFile().length()));
            }
            entries.sort(java.util.Comparator.comparing(ArtifactEntry::path));
        }
        return entries;
    }

    /** Every file of the run, folders walked, by path: what the run page lists. */
    public List<ArtifactEntry> files(String runId) {
        var files = new ArrayList<ArtifactEntry>();
        walk(runId, ArtifactPath.ROOT, files, 0);
        return files;
    }

    private void walk(String runId, ArtifactPath folder, List<ArtifactEntry> out, int depth) {
        for (ArtifactEntry e : list(runId, folder)) {
            if (!e.directory()) {
                out.add(e);
            } else if (depth < 20 && out.size() < 1000) {
                walk(runId, ArtifactPath.of(e.path()), out, depth + 1);
            }
        }
    }

    private Optional<Path> model(Run run) {
        if (run.getKind() != RunKind.JOB) {
            return Optional.empty();
        }
        try {
            return Optional.of(models.file(run.getId()));
        } catch (ConflictException notYet) {
            return Optional.empty();
        }
    }

    @TransactionalEventListener
    void removeDeleted(RunStopped stopped) {
        if (!stopped.deleted()) {
            return;
        }
        try {
            store.deleteRun(stopped.runId());
        } catch (IOException | RuntimeException e) {
            log.warn("Could not delete the artifacts of deleted run {}: {}", stopped.runId(), e.getMessage());
        }
    }
}
