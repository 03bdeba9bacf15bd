package dev.trainyard.tracking;

/** A run that was created, or, for {@code resumed}, an existing one picked up again. */
public record RunStart(Run run, boolean resumed) {
}
