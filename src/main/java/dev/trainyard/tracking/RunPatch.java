package dev.trainyard.tracking;

import java.util.Map;
import java.util.Set;

/**
 * Changes to a run; null fields stay as they are. {@code configJson} replaces the whole config;
 * {@code summary} values are merged (a null value removes one); {@code metrics} are
 * {@code define_metric} settings, already checked.
 */
public record RunPatch(String name, Set<String> tags, String notes, RunState state, String configJson,
        Map<String, Double> summary, Map<String, MetricDefinition> metrics) {

    public RunPatch(String name, Set<String> tags, String notes, RunState state) {
        this(name, tags, notes, state, null, null, null);
    }
}
