package dev.trainyard.training;

import java.io.File;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;
import tools.jackson.databind.json.JsonMapper;

/**
 * A trained dl4j job as {@link ModelSerializer} writes it (a zip DL4J reads back with
 * {@code restoreMultiLayerNetworkAndNormalizer} or {@code restoreComputationGraphAndNormalizer}), with the
 * normaliser fitted on the train split and, under {@value #META}, what Trainyard needs to predict with it.
 *
 * @param graph     a ComputationGraph rather than a MultiLayerNetwork
 * @param bestEpoch the epoch whose weights these are
 */
record TabularModel(String task, List<String> features, List<String> labels, List<String> classes, boolean graph,
        int bestEpoch) {

    static final String META = "trainyard-tabular.json";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    boolean classification() {
        return "classification".equals(task);
    }

    void save(Path modelFile, Model net, DataNormalization normalizer) {
        Path target = modelFile.toAbsolutePath();
        Path temp = null;
        try {
            Files.createDirectories(target.getParent());
            temp = Files.createTempFile(target.getParent(), target.getFileName() + ".", ".tmp");
            File file = temp.toFile();
            // writeModel(net, file, false, normalizer) fails in M2.1 ("flush() failed: stream is closed": it closes
            // its close-shielded zip twice); writing the normaliser in a second step does not
            ModelSerializer.writeModel(net, file, false);
            if (normalizer != null) {
                ModelSerializer.addNormalizerToModel(file, normalizer);
            }
            ModelSerializer.addObjectToFile(file, META, JSON.writeValueAsString(this));
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            try {
                if (temp != null) {
                    Files.deleteIfExists(temp);
                }
            } catch (IOException ignored) {
                // the save already failed; that error is the one to report
            }
            throw new TrainingException("model could not be saved: " + e.getMessage(), e);
        }
    }

    /** The metadata of a dl4j model file, or null when the file is another kind of model. */
    static TabularModel meta(Path modelFile) {
        try {
            String meta = ModelSerializer.getObjectFromFile(modelFile.toFile(), META);
            return JSON.readValue(meta, TabularModel.class);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
