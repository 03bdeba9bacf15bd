package dev.trainyard.jobs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

import dev.trainyard.shared.web.ConflictException;
import dev.trainyard.tracking.Run;
import dev.trainyard.tracking.RunKind;
import dev.trainyard.tracking.RunManagement;
import dev.trainyard.training.ConfusionMatrix;
import dev.trainyard.training.Generator;
import dev.trainyard.training.Predictor;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** The models jobs leave behind: downloading them, and generating text with them. */
@Component
public class TrainedModels {

    private final RunManagement runs;
    private final ModelFiles files;
    private final Generator generator;
    private final Predictor predictor;

    TrainedModels(RunManagement runs, ModelFiles files, Generator generator, Predictor predictor) {
        this.runs = runs;
        this.files = files;
        this.generator = generator;
        this.predictor = predictor;
    }

    /** Predicts with a dl4j job's model on the training package's executor, never on the caller's thread. */
    public CompletableFuture<Predictor.Predictions> predict(String runId, List<List<Double>> rows) {
        return predictor.predict(file(runId), rows);
    }

    public CompletableFuture<Predictor.Predictions> predictCsv(String runId, byte[] csv) {
        return predictor.predictCsv(file(runId), csv);
    }

    /** The last epoch's confusion matrix of a classification job, once it has one. */
    public Optional<ConfusionMatrix> confusion(String runId) {
        runs.get(runId);
        return ConfusionMatrix.of(files.of(runId));
    }

    /** The run's model file; a 404 for an unknown run, a 409 while there is none yet. */
    public Path file(String runId) {
        Run run = runs.get(runId);
        if (run.getKind() != RunKind.JOB) {
            throw new ConflictException("run " + runId + " is an external run; only jobs have a trained model");
        }
        Path file = files.of(runId);
        if (!Files.isRegularFile(file)) {
            throw new ConflictException("run " + runId + " has no trained model yet (state " + run.getState()
                    + "); the model is saved when training finishes");
        }
        return file;
    }

    /** Generates on the training package's own executor, never on the caller's thread. */
    public CompletableFuture<String> generate(String runId, String prime, Integer length, Double temperature) {
        return generator.generate(file(runId), prime, length, temperature);
    }
}
