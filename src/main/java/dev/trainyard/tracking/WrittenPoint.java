package dev.trainyard.tracking;

/** A stored point with the event that last wrote it, as live streams replay them. */
public record WrittenPoint(long eventId, String key, long step, double value, long time) {
}
