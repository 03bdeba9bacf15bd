package dev.trainyard.tracking;

/** A run was cancelled or deleted by a user: whoever trains it should stop. */
public record RunStopped(String runId, String projectId, boolean deleted) {
}
