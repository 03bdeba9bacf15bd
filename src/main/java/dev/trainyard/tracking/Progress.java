package dev.trainyard.tracking;

/**
 * How far a job has got: {@code step} of {@code steps} (epochs for a dl4j job), and the seconds
 * its worker expects it still needs, null while it has no estimate. The API writes it as
 * {@code {"step":..,"steps":..,"etaSeconds":..}}, null included.
 */
public record Progress(int step, int steps, Long etaSeconds) {
}
