package dev.trainyard.tracking;

/**
 * A page of runs. {@code sort} is a field (name, state, kind, createdAt, startedAt, endedAt) or
 * {@code summary.<key>}, optionally followed by {@code ,desc}; the default is newest first.
 */
public record RunQuery(String project, String group, RunState state, String tag, String q, String sort, int page, int size) {
}
