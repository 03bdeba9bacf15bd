package dev.trainyard.web;

import dev.trainyard.tracking.RunState;

/**
 * The runs table's address as the filter form and the table's links send it: filters, sort and
 * page, each optional. A blank filter is no filter; a hand-edited negative page shows the first one
 * rather than an error. On a project's page {@code project} comes from the path instead.
 */
record RunsForm(String project, RunState state, String model, String tag, String q, String sort, String group, Integer page) {

    RunTable.Query query(String project) {
        return new RunTable.Query(project, blank(group), state, blank(model), blank(tag), blank(q), RunTable.Sort.parse(sort),
                page == null ? 0 : Math.max(page, 0));
    }

    static String blank(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
