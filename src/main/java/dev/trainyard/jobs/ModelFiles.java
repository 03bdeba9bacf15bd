package dev.trainyard.jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.trainyard.shared.TrainyardProperties;
import dev.trainyard.tracking.RunStopped;
import dev.trainyard.training.ConfusionMatrix;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/** Trained models on disk, one file per run under {@code <data-dir>/models}. */
@Component
class ModelFiles {

    private static final Logger log = LoggerFactory.getLogger(ModelFiles.class);

    private final Path dir;

    ModelFiles(TrainyardProperties properties) {
        this.dir = properties.modelsDir();
    }

    Path of(String runId) {
        return dir.resolve(runId + ".model");
    }

    @TransactionalEventListener
    void removeDeleted(RunStopped stopped) {
        if (!stopped.deleted()) {
            return;
        }
        try {
            Files.deleteIfExists(of(stopped.runId()));
            Files.deleteIfExists(ConfusionMatrix.fileOf(of(stopped.runId())));
        } catch (IOException e) {
            log.warn("Could not delete the model of deleted run {}: {}", stopped.runId(), e.getMessage());
        }
    }
}
