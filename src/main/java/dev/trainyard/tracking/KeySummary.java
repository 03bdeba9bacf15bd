package dev.trainyard.tracking;

/** What a run holds for one metric key. */
public record KeySummary(String key, long count, long firstStep, long lastStep, double lastValue, double min, double max) {
}
