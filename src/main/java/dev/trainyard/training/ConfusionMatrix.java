package dev.trainyard.training;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

import tools.jackson.databind.json.JsonMapper;

/**
 * A classification job's confusion matrix on the validation split, from the last epoch it trained; kept
 * beside the model as {@code <model>.confusion.json}.
 *
 * @param counts counts[actual][predicted]
 */
public record ConfusionMatrix(int epoch, List<String> classes, long[][] counts) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public static Path fileOf(Path modelFile) {
        return modelFile.resolveSibling(modelFile.getFileName() + ".confusion.json");
    }

    /** The matrix beside {@code modelFile}, or empty when the job has none (regression, or not trained yet). */
    public static Optional<ConfusionMatrix> of(Path modelFile) {
        Path file = fileOf(modelFile);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(Files.readString(file), ConfusionMatrix.class));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    void write(Path modelFile) {
        Path target = fileOf(modelFile).toAbsolutePath();
        try {
            Files.createDirectories(target.getParent());
            Path temp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
            Files.writeString(temp, JSON.writeValueAsString(this));
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new TrainingException("the confusion matrix could not be saved: " + e.getMessage(), e);
        }
    }
}
