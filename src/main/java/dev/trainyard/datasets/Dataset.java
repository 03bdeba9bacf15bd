package dev.trainyard.datasets;

import java.time.Instant;

/**
 * An uploaded text dataset. {@code vocabulary} holds its distinct characters in code point order.
 */
public record Dataset(String id, String name, long bytes, long characters, String vocabulary, Instant createdAt) {
}
