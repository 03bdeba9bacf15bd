package dev.trainyard.tracking;

import com.fasterxml.jackson.annotation.JsonValue;

public enum RunKind {
    EXTERNAL, JOB;

    @JsonValue
    public String json() {
        return name().toLowerCase();
    }
}
