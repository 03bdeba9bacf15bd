package dev.trainyard.sweeps;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A sweep and its result table: one row per run with what was varied and where it ended, and per
 * model the curve to chart (for the memory-horizon experiment, accuracy against length).
 *
 * @param task   {@code recall} or {@code memorize} when the sweep swept lengths, else null
 * @param chance what guessing scores on the task's scored steps (1/8 on recall), when known
 * @param base   the settings every run started from: the request's base, and the horizon defaults it
 *               left out (see {@link Horizon})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Sweep(String id, String project, String name, Instant createdAt, List<String> models, List<Integer> lengths,
        String task, Double chance, Map<String, Object> base, int runs, Map<String, Long> states, List<Row> table,
        List<Curve> curves) {

    /**
     * @param params   the values this run was given for the grid's fields
     * @param accuracy the last held-out test accuracy on the recall steps ({@code test_accuracy}), or
     *                 else the last logged teacher-forced accuracy
     * @param exact    whether the final greedy sample reproduced the dataset (single-text datasets only)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Row(String runId, String name, String model, String dataset, Integer length, Long seed,
            Map<String, Object> params, String state, Double accuracy, Double loss, Boolean exact) {
    }

    /**
     * One model's accuracy against length, over the runs that have an accuracy.
     *
     * @param fallOff the shortest length whose mean accuracy is below halfway between chance and 1,
     *                or null when it holds at every length measured
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Curve(String model, Integer fallOff, List<Point> points) {
    }

    /** Mean and (population) standard deviation over the seeds at one length. */
    public record Point(int length, double mean, double std, int runs) {
    }

    /** A line of the sweeps list. */
    public record Summary(String id, String project, String name, Instant createdAt, List<String> models,
            List<Integer> lengths, int runs, Map<String, Long> states) {
    }
}
