package dev.trainyard.mlflow;

import java.util.Locale;

import dev.trainyard.tracking.RunQuery;

/**
 * MLflow's {@code ViewType} for searches: what has not been deleted (the default), only what has,
 * or both. The Java client sends the name, protobuf's JSON may send the number (1, 2, 3).
 */
public enum ViewType {
    ACTIVE_ONLY, DELETED_ONLY, ALL;

    public static ViewType of(String value, String field) {
        if (value == null || value.isBlank()) {
            return ACTIVE_ONLY;
        }
        switch (value.strip().toUpperCase(Locale.ROOT)) {
            case "ACTIVE_ONLY", "1":
                return ACTIVE_ONLY;
            case "DELETED_ONLY", "2":
                return DELETED_ONLY;
            case "ALL", "3":
                return ALL;
            default:
                throw MlflowException.invalid("Invalid value '" + value + "' for parameter '" + field
                        + "': one of ACTIVE_ONLY, DELETED_ONLY, ALL");
        }
    }

    boolean includes(boolean deleted) {
        return this == ALL || (this == DELETED_ONLY) == deleted;
    }

    RunQuery.Lifecycle lifecycle() {
        return switch (this) {
            case ACTIVE_ONLY -> RunQuery.Lifecycle.ACTIVE;
            case DELETED_ONLY -> RunQuery.Lifecycle.DELETED;
            case ALL -> RunQuery.Lifecycle.ALL;
        };
    }
}
