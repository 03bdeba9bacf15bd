package dev.trainyard.tracking;

/** A run was cancelled or deleted by a user, here or (relayed) on another node: whoever trains it should stop. */
public record RunStopped(String runId, String projectId, boolean deleted, boolean relayed) {

    public RunStopped(String runId, String projectId, boolean deleted) {
        this(runId, projectId, deleted, false);
    }
}
