package dev.trainyard.tracking;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A point of a history answer. When a bucket of many points stands for them, {@code step},
 * {@code value} and {@code time} are its last point's and {@code min} / {@code max} its extremes.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HistoryPoint(long step, double value, Instant time, Double min, Double max) {
}
