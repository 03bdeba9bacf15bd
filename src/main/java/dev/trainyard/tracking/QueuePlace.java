package dev.trainyard.tracking;

/**
 * Where a queued job stands: {@code position} 1 is the next job a free worker claims (jobs are
 * claimed oldest first), and {@code idleWorkers} is how many workers of the answering node train
 * nothing now. A web-only node has none; in team mode other nodes' workers are not counted.
 */
public record QueuePlace(int position, int idleWorkers) {
}
