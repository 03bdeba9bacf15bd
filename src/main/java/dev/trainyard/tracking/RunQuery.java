package dev.trainyard.tracking;

/**
 * A page of runs. {@code sort} is a field (name, state, kind, createdAt, startedAt, endedAt) or
 * {@code summary.<key>}, optionally followed by {@code ,desc}; the default is newest first.
 * {@code lifecycle} picks active runs (the default), soft-deleted ones, or both.
 */
public record RunQuery(String project, String group, RunState state, String tag, String q, String sort, int page, int size,
        Lifecycle lifecycle) {

    /** MLflow's view types: runs it has not deleted, only those it has, or all. */
    public enum Lifecycle { ACTIVE, DELETED, ALL }

    public RunQuery {
        lifecycle = lifecycle == null ? Lifecycle.ACTIVE : lifecycle;
    }

    public RunQuery(String project, String group, RunState state, String tag, String q, String sort, int page, int size) {
        this(project, group, state, tag, q, sort, page, size, Lifecycle.ACTIVE);
    }
}
