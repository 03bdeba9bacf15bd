package dev.trainyard.training;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the text of an uploaded dataset lives, for jobs on {@code dataset:<id>}. The datasets
 * feature provides it; training only reads the file.
 */
public interface UploadedTexts {

    /** The UTF-8 text file of the upload, or an empty result for an unknown id. */
    Optional<Path> textFile(String datasetId);
}
