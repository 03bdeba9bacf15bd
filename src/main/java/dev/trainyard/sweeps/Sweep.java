package dev.trainyard.sweeps;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A sweep and its result table: one row per run with what was varied and where it ended, ready to
 * chart (for the memory-horizon experiment, accuracy against length per model).
 */
public record Sweep(String id, String project, String name, Instant createdAt, int runs, Map<String, Long> states,
        List<Row> table) {

    /**
     * @param params   the values this run was given for the grid's fields
     * @param accuracy the last logged teacher-forced accuracy
     * @param exact    whether the final greedy sample reproduced the dataset (single-text datasets only)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Row(String runId, String name, String model, String dataset, Integer length, Map<String, Object> params,
            String state, Double accuracy, Double loss, Boolean exact) {
    }
}
