package dev.trainyard.tracking;

/**
 * Published in-process after a transaction that appended to a run's event log commits. Carries
 * only ids: subscribers read what changed from the store, so nothing depends on delivery order.
 */
public record RunActivity(String runId, String projectId, long eventId) {
}
