package dev.trainyard.web;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.trainyard.tracking.RunState;

/**
 * What the runs table shows, for runs.html. {@code base} is the table's own path ({@code /runs} or
 * {@code /projects/<slug>}); {@code columns} the chosen (or default) config and summary columns;
 * {@code sorts} has a link and an aria-sort value for each sortable column, by sort field;
 * {@code liveProjects} is the projects whose streams runs.js follows, comma-separated. {@code groups}
 * is null unless the runs are grouped; {@code menu} is what the column menu offers, {@code filters}
 * the conditions in use with a link that drops each, and {@code problems} a message per form field
 * that could not be read.
 */
record RunsPage(String base, RunTable.Query query, List<RunRow> rows, List<RunColumn> columns, Map<String, SortLink> sorts,
        Pager pager, boolean filtered, String liveProjects, boolean projectColumn, List<GroupRow> groups, Menu menu,
        List<FilterChip> filters, Map<String, String> problems, String rejectedFilter) {

    /** A column header's link (sorted by it, the other way round if it is the sorted one) and its aria-sort. */
    record SortLink(String url, String aria) {
    }

    /**
     * Where the result stands: {@code total} matching runs over {@code pages} pages; {@code truncated}
     * when an in-memory sort saw only the newest runs. {@code newerUrl} and {@code olderUrl} are null at either end.
     */
    record Pager(long total, long pages, boolean truncated, String firstUrl, String newerUrl, String olderUrl) {
    }

    /**
     * A group of runs: its value as shown, its count, the link that opens or closes it and, when it
     * can be said as filters, the link to the table of its runs. An open group has its first runs.
     */
    record GroupRow(String label, boolean none, long count, boolean open, String toggleUrl, String filterUrl, List<RunRow> rows,
            long total) {
    }

    /** The column menu: config keys and metric keys of the runs in scope, which of them are shown, and how. */
    record Menu(List<String> configKeys, List<MetricChoice> metrics, List<String> chosenConfig) {
    }

    /** A metric key in the column menu, and how it is shown: {@code own}, a mode's word, or empty when it is not. */
    record MetricChoice(String key, String chosen) {
    }

    /** A condition in use, and the table's link without it. */
    record FilterChip(String text, String removeUrl) {
    }

    static final List<String> MODELS = Stream.concat(HyperParameters.models().stream(), Stream.of(RunTable.EXTERNAL)).toList();
    static final List<String> SUMMARY_MODES = List.of("last", "min", "max", "mean");

    /** The states and models the filter form offers. */
    public RunState[] states() {
        return RunState.values();
    }

    public List<String> models() {
        return MODELS;
    }

    public List<String> summaryModes() {
        return SUMMARY_MODES;
    }
}
