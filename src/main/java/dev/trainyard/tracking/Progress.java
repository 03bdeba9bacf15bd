package dev.trainyard.tracking;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * How far a job has got: {@code step} of {@code steps} (epochs for a dl4j job), and the seconds
 * its worker expects it still needs, null while it has no estimate (always while it is queued). The
 * API writes it as {@code {"step":..,"steps":..,"etaSeconds":..}}, null included, and for a queued
 * job {@code "queue": {"position":..,"idleWorkers":..}}.
 */
public record Progress(int step, int steps, Long etaSeconds, @JsonInclude(JsonInclude.Include.NON_NULL) QueuePlace queue) {

    public Progress(int step, int steps, Long etaSeconds) {
        this(step, steps, etaSeconds, null);
    }
}
