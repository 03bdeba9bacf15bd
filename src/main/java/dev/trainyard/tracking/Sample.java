package dev.trainyard.tracking;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Text a job generated after an epoch; {@code exact} says whether it reproduced a single-text dataset. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Sample(int epoch, String text, Boolean exact, Instant time) {
}
