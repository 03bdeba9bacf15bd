package dev.trainyard.tracking;

/** One logged value. Wall time is epoch milliseconds; NaN and infinities are legal values. */
public record MetricPoint(String key, long step, double value, long time) {
}
