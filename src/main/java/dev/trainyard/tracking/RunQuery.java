package dev.trainyard.tracking;

import java.util.List;

/**
 * A page of runs. {@code sort} is a field (name, state, kind, createdAt, startedAt, endedAt),
 * {@code summary.<key>} or {@code config.<key>}, optionally followed by {@code ,desc}; the default
 * is newest first. {@code lifecycle} picks active runs (the default), soft-deleted ones, or both.
 * {@code config} holds conditions on config values and {@code metrics} on metric summaries, all of which
 * a run must meet; {@code folds} keep the runs of one group of each (see {@link GroupBy}).
 */
public record RunQuery(String project, String group, RunState state, String tag, String q, String sort, int page, int size,
        Lifecycle lifecycle, List<ConfigCondition> config, List<MetricCondition> metrics, List<GroupBy.Fold> folds) {

    /** MLflow's view types: runs it has not deleted, only those it has, or all. */
    public enum Lifecycle { ACTIVE, DELETED, ALL }

    public RunQuery {
        lifecycle = lifecycle == null ? Lifecycle.ACTIVE : lifecycle;
        config = config == null ? List.of() : List.copyOf(config);
        metrics = metrics == null ? List.of() : List.copyOf(metrics);
        folds = folds == null ? List.of() : List.copyOf(folds);
    }

    public RunQuery(String project, String group, RunState state, String tag, String q, String sort, int page, int size,
            Lifecycle lifecycle, List<ConfigCondition> config) {
        this(project, group, state, tag, q, sort, page, size, lifecycle, config, List.of(), List.of());
    }

    public RunQuery(String project, String group, RunState state, String tag, String q, String sort, int page, int size,
            Lifecycle lifecycle) {
        this(project, group, state, tag, q, sort, page, size, lifecycle, List.of(), List.of(), List.of());
    }

    public RunQuery(String project, String group, RunState state, String tag, String q, String sort, int page, int size) {
        this(project, group, state, tag, q, sort, page, size, Lifecycle.ACTIVE, List.of(), List.of(), List.of());
    }
}
