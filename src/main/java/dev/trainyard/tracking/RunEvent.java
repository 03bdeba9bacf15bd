package dev.trainyard.tracking;

/** One entry of a run's event log. The payload is JSON; for METRICS it only counts the points. */
public record RunEvent(long id, String runId, RunEventType type, String payload) {
}
