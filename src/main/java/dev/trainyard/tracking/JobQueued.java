package dev.trainyard.tracking;

/** A job run was committed in state QUEUED, here or (relayed) on another node, so an idle worker may claim it. */
public record JobQueued(String runId, boolean relayed) {

    public JobQueued(String runId) {
        this(runId, false);
    }
}
