package dev.trainyard.tracking;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Text a job generated after a step; {@code exact} says whether it reproduced a single-text dataset.
 * {@code epoch} is that step: the field kept its name when the job spec's {@code epochs} became {@code steps}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Sample(int epoch, String text, Boolean exact, Instant time) {
}
