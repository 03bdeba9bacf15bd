package dev.trainyard.datasets;

import java.time.Instant;

import dev.trainyard.training.TabularSchema;

/**
 * An uploaded text dataset. {@code vocabulary} holds its distinct characters in code point order;
 * {@code schema} is what was detected when the upload is a CSV (a table dl4j jobs can train on), else null.
 */
public record Dataset(String id, String name, long bytes, long characters, String vocabulary, Instant createdAt,
        TabularSchema schema) {
}
