package dev.trainyard.tracking;

import java.util.List;

/** A metric's points in a step range: {@code total} in the range, possibly fewer returned. */
public record History(String key, long total, List<HistoryPoint> points) {
}
