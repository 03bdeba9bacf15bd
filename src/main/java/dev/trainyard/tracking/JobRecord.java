package dev.trainyard.tracking;

/** The queue entry of a job run: its spec (JSON) and how far training has got. */
public record JobRecord(String runId, String specJson, int attempts, int epoch, int epochs, Long etaSeconds) {
}
