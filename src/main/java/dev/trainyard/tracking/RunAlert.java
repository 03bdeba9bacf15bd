package dev.trainyard.tracking;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonCreator;

/** Something a script wanted a person to see ({@code wandb.alert}). */
public record RunAlert(long id, String title, String text, Level level, Instant createdAt) {

    /** wandb's AlertLevel names. */
    public enum Level {
        INFO, WARN, ERROR;

        @JsonCreator
        public static Level of(String value) {
            for (Level l : values()) {
                if (l.name().equalsIgnoreCase(value)) {
                    return l;
                }
            }
            throw new IllegalArgumentException("level must be INFO, WARN or ERROR, not '" + value + "'");
        }
    }
}
