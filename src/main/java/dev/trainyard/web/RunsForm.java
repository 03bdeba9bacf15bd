package dev.trainyard.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.trainyard.shared.web.BadRequestException;
import dev.trainyard.tracking.ConfigCondition;
import dev.trainyard.tracking.GroupBy;
import dev.trainyard.tracking.MetricCondition;
import dev.trainyard.tracking.RunState;

/**
 * The runs table's address as the filter form, the column menu and the table's links send it:
 * filters, sort and page, each optional. A blank filter is no filter; a hand-edited negative page
 * shows the first one rather than an error. On a project's page {@code project} comes from the path
 * instead. {@code f} holds conditions as the user writes them ({@code config.lr>0.001},
 * {@code loss:min<0.5}), {@code col} the chosen columns, {@code groupBy} what to fold runs by and
 * {@code open} the groups shown unfolded.
 */
record RunsForm(String project, RunState state, String model, String tag, String q, String sort, String group, Integer page,
        List<String> f, List<String> col, String groupBy, List<String> open) {

    /** The query, and a message per field that could not be read: the page shows the rest and says why beside the field. */
    record Parsed(RunTable.Query query, Map<String, String> problems, String rejectedFilter) {
    }

    Parsed parse(String projectSlug) {
        var problems = new LinkedHashMap<String, String>();
        var filters = new ArrayList<String>();
        var config = new ArrayList<ConfigCondition>();
        var metrics = new ArrayList<MetricCondition>();
        String rejected = null;
        for (String text : f == null ? List.<String>of() : f) {
            String t = blank(text);
            if (t == null) {
                continue;
            }
            try {
                if (t.startsWith(RunColumn.CONFIG)) {
                    config.add(ConfigCondition.parse(t.substring(RunColumn.CONFIG.length())));
                } else {
                    metrics.add(MetricCondition.parse(t.startsWith(RunColumn.SUMMARY) ? t.substring(RunColumn.SUMMARY.length()) : t));
                }
                filters.add(t);
            } catch (BadRequestException e) {
                problems.putIfAbsent("f", e.getMessage() + " (a filter is config.<key> or a metric key, then a comparison: "
                        + "config.lr>0.001, loss:min<0.5)");
                rejected = t;
            }
        }
        var columns = new ArrayList<RunColumn>();
        for (String id : col == null ? List.<String>of() : col) {
            if (blank(id) == null) {
                continue;
            }
            try {
                RunColumn column = RunColumn.parse(id);
                if (columns.stream().noneMatch(c -> c.id().equals(column.id()))) {
                    columns.add(column);
                }
            } catch (BadRequestException e) {
                problems.putIfAbsent("col", e.getMessage());
            }
        }
        GroupBy by = null;
        if (blank(groupBy) != null) {
            try {
                by = GroupBy.parse("groupBy", groupBy);
            } catch (BadRequestException e) {
                problems.putIfAbsent("groupBy", e.getMessage());
            }
        }
        var query = new RunTable.Query(projectSlug, blank(group), state, blank(model), blank(tag), blank(q), RunTable.Sort.parse(sort),
                page == null ? 0 : Math.max(page, 0), filters, config, metrics, columns, by,
                open == null ? List.of() : open.stream().filter(o -> o != null && !o.isEmpty()).toList());
        return new Parsed(query, problems, rejected);
    }

    RunTable.Query query(String projectSlug) {
        return parse(projectSlug).query();
    }

    static String blank(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
