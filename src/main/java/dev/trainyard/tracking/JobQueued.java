package dev.trainyard.tracking;

/** A job run was committed in state QUEUED, so an idle worker may claim it. */
public record JobQueued(String runId) {
}
