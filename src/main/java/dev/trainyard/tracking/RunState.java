package dev.trainyard.tracking;

public enum RunState {
    QUEUED, RUNNING, FINISHED, FAILED, CANCELLED, CRASHED;

    public boolean isTerminal() {
        return this == FINISHED || this == FAILED || this == CANCELLED;
    }
}
