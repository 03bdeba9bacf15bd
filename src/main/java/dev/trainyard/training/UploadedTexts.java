package dev.trainyard.training;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the text of an uploaded dataset lives, for jobs on {@code dataset:<id>}. The datasets
 * feature provides it; training only reads the file.
 */
public interface UploadedTexts {

    /**
     * What a job's size depends on.
     *
     * @param characters the text's length in code points
     * @param distinct   its distinct code points
     */
    record Shape(long characters, int distinct) {
    }

    /**
     * An upload that is a table: its file and the schema detected when it was uploaded.
     *
     * @param schema null when the upload is text, not a CSV
     */
    record Table(Path file, TabularSchema schema) {
    }

    /** The upload as a table, or an empty result for an unknown id. */
    default Optional<Table> table(String datasetId) {
        return textFile(datasetId).map(file -> new Table(file, null));
    }

    /** The UTF-8 text file of the upload, or an empty result for an unknown id. */
    Optional<Path> textFile(String datasetId);

    /** The upload's shape, or an empty result for an unknown id. This reads the file; a store may know better. */
    default Optional<Shape> shape(String datasetId) {
        return textFile(datasetId).map(file -> {
            var text = new TrainingText("dataset:" + datasetId, TrainingText.read(datasetId, file), false);
            return new Shape(text.characters(), text.distinct());
        });
    }
}
