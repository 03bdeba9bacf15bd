package dev.trainyard.web;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.trainyard.tracking.RunState;

/**
 * What the runs table shows, for runs.html. {@code base} is the table's own path ({@code /runs} or
 * {@code /projects/<slug>}); {@code sorts} has a link and an aria-sort value for each sortable
 * column, by sort field; {@code liveProjects} is the projects whose streams runs.js follows, comma-separated.
 */
record RunsPage(String base, RunTable.Query query, List<RunRow> rows, List<String> metricKeys, Map<String, SortLink> sorts,
        Pager pager, boolean filtered, String liveProjects, boolean projectColumn) {

    /** A column header's link (sorted by it, the other way round if it is the sorted one) and its aria-sort. */
    record SortLink(String url, String aria) {
    }

    /**
     * Where the result stands: {@code total} matching runs over {@code pages} pages; {@code truncated}
     * when an in-memory sort saw only the newest runs. {@code newerUrl} and {@code olderUrl} are null at either end.
     */
    record Pager(long total, long pages, boolean truncated, String firstUrl, String newerUrl, String olderUrl) {
    }

    static final List<String> MODELS = Stream.concat(HyperParameters.models().stream(), Stream.of(RunTable.EXTERNAL)).toList();

    /** The states and models the filter form offers. */
    public RunState[] states() {
        return RunState.values();
    }

    public List<String> models() {
        return MODELS;
    }
}
