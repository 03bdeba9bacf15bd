package dev.trainyard.tracking;

/**
 * Published in-process after a transaction that appended to a run's event log commits, here or,
 * relayed, on another node sharing the database. Carries only ids: subscribers read what changed
 * from the store, so nothing depends on delivery order or on being told once.
 *
 * @param relayed true when the change was committed by another node
 */
public record RunActivity(String runId, String projectId, long eventId, boolean relayed) {

    public RunActivity(String runId, String projectId, long eventId) {
        this(runId, projectId, eventId, false);
    }
}
