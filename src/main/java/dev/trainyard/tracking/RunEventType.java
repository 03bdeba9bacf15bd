package dev.trainyard.tracking;

/** The kinds of entry in a run's event log; their lower-case names are the SSE event names. */
public enum RunEventType {
    METRICS, STATE, PROGRESS, SAMPLE, UPDATED, ALERT, LOG;

    public String wireName() {
        return name().toLowerCase();
    }
}
