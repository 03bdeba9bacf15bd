package dev.trainyard.datasets;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * @param maxSize       the largest text file an upload may be
 * @param maxVocabulary the most distinct characters a dataset may hold (each is an output class)
 */
@ConfigurationProperties("trainyard.datasets")
record DatasetSettings(DataSize maxSize, Integer maxVocabulary) {

    DatasetSettings {
        maxSize = maxSize == null ? DataSize.ofMegabytes(10) : maxSize;
        maxVocabulary = maxVocabulary == null ? 1000 : maxVocabulary;
    }
}
