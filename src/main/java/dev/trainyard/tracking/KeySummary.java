package dev.trainyard.tracking;

import com.fasterxml.jackson.annotation.JsonInclude;

/** What a run holds for one metric key, with its {@code define_metric} settings where it has them. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record KeySummary(String key, long count, long firstStep, long lastStep, double lastValue, double min, double max,
        String summaryMode, String goal, String stepMetric) {
}
