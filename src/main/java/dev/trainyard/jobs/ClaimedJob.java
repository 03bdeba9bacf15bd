package dev.trainyard.jobs;

/** A job this node now owns: it trains it until it ends or the lease is lost. */
record ClaimedJob(String runId, String projectId, String specJson, int attempt) {
}
